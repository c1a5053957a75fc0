package io.mycelium.itests.osgi.bus;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongConsumer;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import io.mycelium.api.MessageBus;
import io.mycelium.api.MyceliumException;
import io.mycelium.api.SchemaStatus;
import io.mycelium.api.request.RequestClient;
import io.mycelium.api.request.RequestTimeoutException;
import io.mycelium.itests.fixture.protocol.Ping;
import io.mycelium.itests.fixture.protocol.Pong;

/**
 * Separate publisher and subscriber bundles exchange typed messages through the one bus service: order, fan-out,
 * every overflow policy, exception isolation, dynamic schemas, request/response with timeout.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BusExchangeIT extends BusTestBase {

    @Test
    public void shouldDeliverInOrderToEverySubscriberWhenPublisherBundlePublishes() throws Exception {
        assertEquals("one bus service", 1, context.getServiceReferences(MessageBus.class, null).size());
        final Function<String, Object> inline = subscriber("fan-inline");
        // room for the whole burst: a default-capacity (8192) DROP_OLDEST queue loses messages, rightly, whenever
        // its dispatcher falls 8192 behind (a loaded machine), and then never counts 20000
        final Function<String, Object> queued = subscriber("fan-queued", "delivery", "QUEUED", "capacity", "32768");
        final Function<String, Object> block = subscriber("fan-block", "delivery", "QUEUED", "overflow", "BLOCK",
            "capacity", "64");
        final Bundle publisherBundle = installedBundle("io.mycelium.itests.fixture.publisher");
        assertNotSame(publisherBundle, FrameworkUtil.getBundle(inline.getClass()));
        publisher().accept(20_000);
        for (final Function<String, Object> s : java.util.List.of(inline, queued, block)) {
            awaitTrue("20000 delivered", () -> seqs(s).length == 20_000);
            assertConsecutive("subscriber", seqs(s));
        }
        assertEquals("Ping", bus().stats().type(3001).name());
        assertEquals("itest-ping", bus().stats().type(3001).schemaId());
        assertEquals(20_000, bus().stats().service("fixture-publisher").published());
    }

    @Test
    public void shouldApplyEveryOverflowPolicyWhenSubscriberQueueFills() throws Exception {
        final LongConsumer publisher = publisher();
        // an inline witness records every published seq, so each check can name the newest messages
        final Function<String, Object> witness = subscriber("witness");
        // each policy's subscriber is removed once checked: left subscribed with its 4-slot queue, it would get
        // the next sections' publishes and could overflow (a FAIL one throwing) when its dispatcher lags
        // DROP_OLDEST: the two newest evict the two oldest queued; the newest two arrive last
        Function<String, Object> s = stalled("DROP_OLDEST");
        publisher.accept(2);
        assertEquals(2, stat(s, "dropped"));
        long[] got = release(s, 5);
        assertEquals(newest(witness, 2), tail(got, 2));
        assertConsecutive("DROP_OLDEST survivors", tail(got, 4));
        removeSubscriber(s);
        // DROP_NEWEST: the two newest are discarded
        s = stalled("DROP_NEWEST");
        publisher.accept(2);
        assertEquals(2, stat(s, "dropped"));
        got = release(s, 5);
        assertTrue("the newest two were dropped", got[4] < newest(witness, 2).get(0));
        removeSubscriber(s);
        // FAIL: the publisher gets an exception naming the subscription
        s = stalled("FAIL");
        try {
            publisher.accept(1);
            fail("FAIL overflow must throw to the publisher");
        } catch (final MyceliumException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("overflow FAIL"));
        }
        assertEquals(1, stat(s, "dropped"));
        release(s, 5);
        removeSubscriber(s);
        // BLOCK: the publisher waits until the dispatcher makes room; nothing is lost
        s = stalled("BLOCK");
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread blocked = new Thread(() -> {
            try {
                publisher.accept(1);
            } catch (final Throwable t) {
                failure.set(t);
            }
        });
        blocked.start();
        awaitTrue("publisher parked on the full queue", () -> blocked.getState() == Thread.State.TIMED_WAITING);
        assertTrue(blocked.isAlive());
        got = release(s, 6);
        blocked.join(TIMEOUT_MS);
        assertFalse(blocked.isAlive());
        assertEquals(null, failure.get());
        assertEquals(newest(witness, 1), tail(got, 1));
        assertEquals(0, stat(s, "dropped"));
    }

    /**
     * A gated subscriber of capacity 4 whose dispatcher holds one message and whose queue is then filled to 4,
     * one publish at a time, so a stray message from an earlier test cannot overflow it early. Every other
     * subscriber of Ping must keep up with these publishes (the witness is inline; the earlier sections' stalled
     * subscribers are removed).
     */
    private Function<String, Object> stalled(final String overflow) {
        final Function<String, Object> s = subscriber("stalled-" + overflow, "delivery", "QUEUED", "capacity", "4",
            "overflow", overflow, "gated", "true");
        publisher().accept(1);
        awaitTrue("dispatcher holds the first message", () -> stat(s, "delivered") == 1);
        for (int i = 0; i < 4 && stat(s, "queueDepth") < 4; i++) {
            try {
                publisher().accept(1);
            } catch (final MyceliumException e) {
                // not the cause: Pax Exam reports only the root cause of a failure, which would drop this message
                final AssertionError failure = new AssertionError(diagnose("filling stalled-" + overflow + ", publish "
                    + (i + 1) + " of at most 4 threw " + e, s));
                failure.addSuppressed(e);
                throw failure;
            }
        }
        assertEquals(diagnose("depth", s), 4, stat(s, "queueDepth"));
        assertEquals(4, stat(s, "highWater"));
        return s;
    }

    private String diagnose(final String what, final Function<String, Object> s) {
        final StringBuilder b = new StringBuilder(what + ": stats " + s.apply("stats"));
        for (final io.mycelium.api.SubscriptionStats x : bus().stats().subscriptions()) {
            b.append("\n#").append(x.id()).append(' ').append(x.serviceName()).append(' ').append(x.delivery())
                .append(" delivered ")
                .append(x.delivered()).append(" depth ").append(x.queueDepth()).append(" dropped ")
                .append(x.dropped());
        }
        return b.toString();
    }

    private long[] release(final Function<String, Object> s, final int expected) {
        s.apply("release");
        awaitTrue(expected + " delivered after release", () -> seqs(s).length == expected);
        return seqs(s);
    }

    private static java.util.List<Long> newest(final Function<String, Object> witness, final int n) {
        return tail(seqs(witness), n);
    }

    private static java.util.List<Long> tail(final long[] seqs, final int n) {
        final java.util.List<Long> list = new java.util.ArrayList<>();
        for (int i = seqs.length - n; i < seqs.length; i++) {
            list.add(seqs[i]);
        }
        return list;
    }

    private static void assertConsecutive(final String who, final java.util.List<Long> seqs) {
        assertConsecutive(who, seqs.stream().mapToLong(Long::longValue).toArray());
    }

    @Test
    public void shouldApplyBusConfigurationWithoutReplacingTheServiceWhenConfigured() throws Exception {
        final MessageBus before = bus();
        final Object serviceId = context.getServiceReference(MessageBus.class).getProperty("service.id");
        final org.osgi.service.cm.Configuration config = awaitService(
            org.osgi.service.cm.ConfigurationAdmin.class, null).getConfiguration("io.mycelium.bus", "?");
        final java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put("defaultCapacity", 32);
        config.update(props);
        awaitTrue("new queued subscriptions get the configured capacity", () -> defaultCapacity() == 32);
        config.delete();
        awaitTrue("deleting the configuration restores the default", () -> defaultCapacity() == 8192);
        assertTrue("the same bus service object (modified, never reactivated)", before == bus());
        assertEquals(serviceId, context.getServiceReference(MessageBus.class).getProperty("service.id"));
    }

    private int defaultCapacity() {
        try (io.mycelium.api.Subscription s = bus().subscribe(Ping.TYPE, p -> { },
            io.mycelium.api.Delivery.queued())) {
            return s.stats().delivery().capacity();
        }
    }

    @Test
    public void shouldIsolateThrowingSubscriberWhenOthersKeepReceiving() {
        final Function<String, Object> bad = subscriber("bad", "failEvery", "1");
        final Function<String, Object> badQueued = subscriber("bad-queued", "failEvery", "2", "delivery", "QUEUED");
        final Function<String, Object> good = subscriber("good");
        publisher().accept(100);
        assertEquals(100, seqs(good).length);
        assertEquals(100, stat(bad, "handlerErrors"));
        awaitTrue("queued errors counted", () -> stat(badQueued, "handlerErrors") == 50);
        assertEquals(100, bus().stats().service("bad").handlerErrors());
        assertEquals(100, seqs(badQueued).length);
    }

    @Test
    public void shouldTrackSchemasWhenProtocolBundlesComeAndGo() throws Exception {
        final MessageBus bus = bus();
        awaitTrue("ping schema active", () -> status(bus, "itest-ping") != null && status(bus, "itest-ping").active());
        final Bundle clash = context.installBundle("fixture:clash", new ByteArrayInputStream(BusFixtures.clash()));
        clash.start();
        awaitTrue("clash schema refused", () -> status(bus, "itest-clash") != null);
        final SchemaStatus refused = status(bus, "itest-clash");
        assertFalse(refused.active());
        assertTrue(refused.problem(), refused.problem().contains("type id 3001 (Clash) is already registered by "
            + "active schema 'itest-ping'"));
        final Bundle protocol = installedBundle("io.mycelium.itests.fixture.protocol");
        protocol.stop();
        awaitTrue("clash active once ping is gone", () -> status(bus, "itest-ping") == null
            && status(bus, "itest-clash").active());
        assertEquals("Clash", bus.stats().type(3001).name());
        protocol.start();
        awaitTrue("ping refused while clash is active", () -> status(bus, "itest-ping") != null
            && !status(bus, "itest-ping").active());
        clash.uninstall();
        awaitTrue("ping active again", () -> status(bus, "itest-ping").active());
        assertEquals("Ping", bus.stats().type(3001).name());
    }

    private static SchemaStatus status(final MessageBus bus, final String id) {
        return bus.stats().schemas().stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }

    @Test
    public void shouldAnswerOrTimeOutWhenResponderBundleComesAndGoes() throws Exception {
        final MessageBus bus = bus().forService("itest-client");
        // the probe's own copy of Ping/Pong: the bus converts through bytes between the two class copies
        try (RequestClient<Ping, Pong> client = RequestClient.open(bus, Ping.TYPE, (q, id) -> new Ping(id, 0),
            Pong.TYPE, Pong::correlationId)) {
            try {
                client.call(new Ping(0, 0), Duration.ofMillis(200));
                fail("no responder yet: must time out");
            } catch (final RequestTimeoutException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("within 200 ms"));
            }
            final Bundle responder = context.installBundle("fixture:responder",
                new ByteArrayInputStream(BusFixtures.responder()));
            responder.start();
            awaitTrue("responder subscribed", () -> bus.stats().service("fixture-responder").subscriptions()
                .size() == 1);
            for (int i = 0; i < 3; i++) {
                final Pong pong = client.call(new Ping(0, 0), Duration.ofSeconds(10));
                assertEquals("responder answers 2 x the correlation id", pong.correlationId() * 2, pong.value());
            }
            responder.uninstall();
            try {
                client.call(new Ping(0, 0), Duration.ofMillis(200));
                fail("responder gone: must time out");
            } catch (final RequestTimeoutException expected) {
                assertEquals(0, bus.stats().service("fixture-responder").subscriptions().size());
            }
        }
    }
}
