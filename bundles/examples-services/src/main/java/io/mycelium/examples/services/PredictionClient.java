package io.mycelium.examples.services;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.ServiceContext;
import io.mycelium.api.request.RequestClient;
import io.mycelium.api.request.RequestTimeoutException;
import io.mycelium.examples.protocol.PredictionRequest;
import io.mycelium.examples.protocol.PredictionResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example requester {@value #SERVICE}: every interval sends a {@link PredictionRequest} through a
 * {@link RequestClient} and logs the {@link PredictionResponse} (answered by {@code ml_model.py} in the embedded
 * default) or the timeout. Logs the first few outcomes, every change between answered and timed out, and a summary
 * every 10 s ({@code java-prediction-client: sent count=<n> (+<delta>, <rate>/s), answered count=..., ...}). A
 * timeout is INFO: no responder is a normal state of this example (ml_model.py is optional, and may start after it).
 *
 * <p>Configuration PID {@code io.mycelium.examples.services.PredictionClient} (metatype: interval, timeout).
 */
@Component(name = "io.mycelium.examples.services.PredictionClient", service = {})
@Designate(ocd = PredictionClient.Config.class)
public final class PredictionClient {

    /** The service name this component asks the topology for. */
    public static final String SERVICE = "java-prediction-client";
    private static final Logger LOG = LoggerFactory.getLogger(SERVICE);
    private static final int FEATURES = 16;
    private static final long LOGGED_IN_FULL = 3;

    private final RequestClient<PredictionRequest, PredictionResponse> client;
    private final Duration timeout;
    private final ScheduledExecutorService thread;
    private final TypeCounters counters = new TypeCounters(List.of("sent", "answered", "timed-out", "failed"));
    private final AtomicLong sent = counters.counter("sent");
    private final AtomicLong answered = counters.counter("answered");
    private final AtomicLong timedOut = counters.counter("timed-out");
    private final AtomicLong failed = counters.counter("failed");
    private final CountSummary summary = new CountSummary(counters, System.nanoTime());
    private volatile boolean lastAnswered = true;

    /** The client's configuration. */
    @ObjectClassDefinition(name = "Mycelium example prediction client",
            description = "Sends a PredictionRequest every interval and waits for the PredictionResponse")
    public @interface Config {
        /** @return milliseconds between requests */
        @AttributeDefinition(description = "Milliseconds between requests, at least 1")
        long interval_ms() default 2000;

        /** @return milliseconds to wait for each response */
        @AttributeDefinition(description = "Milliseconds to wait for each response, at least 1")
        long timeout_ms() default 1000;
    }

    /**
     * Starts requesting.
     *
     * @param context the service's place on this node
     * @param config  the configuration
     * @throws ConfigurationException if the interval or the timeout is not positive
     */
    @Activate
    public PredictionClient(@Reference(target = "(mycelium.service=" + SERVICE + ")") final ServiceContext context,
                            final Config config) {
        final long interval = positive("interval.ms", config.interval_ms());
        this.timeout = Duration.ofMillis(positive("timeout.ms", config.timeout_ms()));
        this.client = RequestClient.open(context.bus(), PredictionRequest.TYPE,
                (request, id) -> new PredictionRequest(id, request.features()), PredictionResponse.TYPE,
                PredictionResponse::requestId);
        this.thread = ServiceThreads.scheduler(SERVICE);
        thread.scheduleWithFixedDelay(this::requestOne, interval, interval, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(this::summarize, CountSummary.PERIOD_SECONDS, CountSummary.PERIOD_SECONDS,
                TimeUnit.SECONDS);
        LOG.info("{} on node {}: a PredictionRequest every {} ms, timeout {} ms", SERVICE, context.nodeName(),
                interval, timeout.toMillis());
    }

    /** Stops requesting; pending requests fail. */
    @Deactivate
    void stop() {
        ServiceThreads.stop(thread, SERVICE);
        client.close();
        LOG.info("{}: stopped; {}", SERVICE, counters.format());
    }

    private void requestOne() {
        final long number = sent.incrementAndGet();
        final float[] features = new float[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            features[i] = (float) Math.sin(number + i);
        }
        final long start = System.nanoTime();
        client.request(new PredictionRequest(0, features), timeout).whenComplete((response, failure) -> {
            final double micros = (System.nanoTime() - start) / 1e3;
            final boolean ok = failure == null;
            final boolean timeout = failure instanceof RequestTimeoutException;
            final long count = (ok ? answered : timeout ? timedOut : failed).incrementAndGet();
            final boolean changed = ok != lastAnswered;
            lastAnswered = ok;
            if (count > LOGGED_IN_FULL && !changed) {
                return;
            }
            if (ok) {
                LOG.info("{}: PredictionResponse #{} for request {}: prediction={} after {} us", SERVICE, count,
                        Long.toUnsignedString(response.requestId()), response.prediction(),
                        String.format("%.0f", micros));
            } else if (timeout) {
                LOG.info("{}: request #{} timed out ({} so far): {} (deploy ml_model.py to answer)", SERVICE,
                        number, count, failure.getMessage());
            } else {
                LOG.warn("{}: request #{} failed: {}", SERVICE, number, failure.toString());
            }
        });
    }

    private void summarize() {
        final String line = summary.next(System.nanoTime());
        if (line != null) {
            LOG.info("{}: {}", SERVICE, line);
        }
    }

    private static long positive(final String name, final long value) {
        if (value < 1) {
            throw new ConfigurationException(SERVICE + ": " + name + " must be at least 1 ms but was " + value
                    + "; fix it in PID io.mycelium.examples.services.PredictionClient");
        }
        return value;
    }
}
