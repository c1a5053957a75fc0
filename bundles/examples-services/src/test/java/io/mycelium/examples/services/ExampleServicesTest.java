package io.mycelium.examples.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.MessageBus;
import io.mycelium.api.ServiceContext;
import io.mycelium.api.Subscription;
import io.mycelium.api.request.RequestClient;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;
import io.mycelium.examples.protocol.MarketData;
import io.mycelium.examples.protocol.PredictionRequest;
import io.mycelium.examples.protocol.PredictionResponse;
import io.mycelium.examples.protocol.TradeSignal;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExampleServicesTest {

    private final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults());

    @AfterEach
    void closeBus() {
        bus.close();
    }

    @Test
    void shouldPublishMarketDataForEverySymbolWhenFeedRuns() {
        final AtomicInteger received = new AtomicInteger();
        final Subscription subscription = bus.subscribe(MarketData.TYPE, data -> received.incrementAndGet());
        final MarketFeed feed = new MarketFeed(context(MarketFeed.SERVICE), feedConfig(new String[] {"BTC"}, 1000));
        try {
            await("20 MarketData", () -> received.get() >= 20);
        } finally {
            feed.stop();
            subscription.close();
        }
    }

    @Test
    void shouldNameSymbolAndPidWhenFeedSymbolIsTooLong() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> MarketFeed.checkedSymbols(new String[] {"BTC", "A-SYMBOL-LONGER-THAN-16"}));
        assertTrue(e.getMessage().contains("A-SYMBOL-LONGER-THAN-16"), e.getMessage());
        assertTrue(e.getMessage().contains("io.mycelium.examples.services.MarketFeed"), e.getMessage());
    }

    @Test
    void shouldRejectRateWhenFeedRateIsNotPositive() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new MarketFeed(context(MarketFeed.SERVICE), feedConfig(new String[] {"BTC"}, 0)));
        assertTrue(e.getMessage().contains("rate"), e.getMessage());
    }

    @Test
    void shouldCountSignalsWhenMonitorReceivesThem() {
        final SignalMonitor monitor = new SignalMonitor(context(SignalMonitor.SERVICE));
        try {
            bus.publish(new TradeSignal("BTC", "buy", 1, 0, 1));
            await("a counted TradeSignal", () -> monitor.counts().startsWith("TradeSignal=1 "));
        } finally {
            monitor.stop();
        }
    }

    @Test
    void shouldCountEveryTypeWhenRecorderRuns() {
        final Recorder recorder = new Recorder(context(Recorder.SERVICE), recorderConfig(10));
        try {
            bus.publish(new TradeSignal("BTC", "buy", 1, 0, 1));
            bus.publish(new MarketData("BTC", 1, 2, 1.5, 1, 1));
            bus.publish(new MarketData("ETH", 1, 2, 1.5, 1, 2));
            assertEquals(1, recorder.count("TradeSignal"));
            assertEquals(2, recorder.count("MarketData"));
            assertTrue(recorder.recorded().contains("MarketData=2"), recorder.recorded());
            assertThrows(IllegalArgumentException.class, () -> recorder.count("NoSuchType"));
        } finally {
            recorder.stop();
        }
    }

    @Test
    void shouldGetResponsesWhenPredictionClientTalksToResponder() {
        final Subscription responder = RequestClient.serve(bus, PredictionRequest.TYPE,
                request -> new PredictionResponse(request.id(), 42.0), io.mycelium.api.Delivery.INLINE);
        final AtomicInteger responses = new AtomicInteger();
        final Subscription watch = bus.subscribe(PredictionResponse.TYPE, r -> responses.incrementAndGet());
        final PredictionClient client = new PredictionClient(context(PredictionClient.SERVICE), clientConfig(5, 500));
        try {
            await("3 responses", () -> responses.get() >= 3);
        } finally {
            client.stop();
            watch.close();
            responder.close();
        }
    }

    @Test
    void shouldNameUnknownTypeWhenLoadGeneratorIsMisconfigured() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new LoadGenerator(context(LoadGenerator.SERVICE), loadConfig("Nope", 10, 0)));
        assertTrue(e.getMessage().contains("'Nope'") && e.getMessage().contains("CounterUpdate"), e.getMessage());
    }

    @Test
    void shouldPublishExactlyCountWhenLoadGeneratorRuns() {
        final AtomicInteger received = new AtomicInteger();
        final Subscription subscription = bus.subscribe(
                io.mycelium.examples.protocol.CounterUpdate.TYPE, m -> received.incrementAndGet());
        final LoadGenerator load = new LoadGenerator(context(LoadGenerator.SERVICE), loadConfig("CounterUpdate",
                5_000, 100_000));
        try {
            await("5000 CounterUpdate", () -> received.get() >= 5_000);
            assertEquals(5_000, received.get());
        } finally {
            load.stop();
            subscription.close();
        }
    }

    @Test
    void shouldListCountsInOrderWhenCountersFormat() {
        final TypeCounters counters = new TypeCounters(List.of("A", "B"));
        counters.counter("B").incrementAndGet();
        assertEquals("A=0 B=1", counters.format());
    }

    private ServiceContext context(final String name) {
        final MessageBus view = bus.forService(name);
        return new ServiceContext() {
            @Override
            public String serviceName() {
                return name;
            }

            @Override
            public String nodeName() {
                return "test";
            }

            @Override
            public MessageBus bus() {
                return view;
            }
        };
    }

    private static void await(final String what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s: " + what);
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static MarketFeed.Config feedConfig(final String[] symbols, final double rate) {
        return new MarketFeed.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MarketFeed.Config.class;
            }

            @Override
            public String[] symbols() {
                return symbols;
            }

            @Override
            public double rate() {
                return rate;
            }
        };
    }

    private static Recorder.Config recorderConfig(final long reportMillis) {
        return new Recorder.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return Recorder.Config.class;
            }

            @Override
            public long report_ms() {
                return reportMillis;
            }
        };
    }

    private static PredictionClient.Config clientConfig(final long interval, final long timeout) {
        return new PredictionClient.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return PredictionClient.Config.class;
            }

            @Override
            public long interval_ms() {
                return interval;
            }

            @Override
            public long timeout_ms() {
                return timeout;
            }
        };
    }

    private static LoadGenerator.Config loadConfig(final String type, final long count, final long rate) {
        return new LoadGenerator.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LoadGenerator.Config.class;
            }

            @Override
            public String type() {
                return type;
            }

            @Override
            public long count() {
                return count;
            }

            @Override
            public long rate() {
                return rate;
            }

            @Override
            public long delay_ms() {
                return 0;
            }

            @Override
            public String name() {
                return "test";
            }
        };
    }
}
