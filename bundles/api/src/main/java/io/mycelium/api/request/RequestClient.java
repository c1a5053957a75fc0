package io.mycelium.api.request;

import io.mycelium.api.Delivery;
import io.mycelium.api.Message;
import io.mycelium.api.MessageBus;
import io.mycelium.api.MessageType;
import io.mycelium.api.MyceliumException;
import io.mycelium.api.Subscription;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Request/response on top of publish/subscribe: publishes a request carrying a fresh correlation id and completes
 * when a response with the same correlation id is published, or fails with {@link RequestTimeoutException}.
 *
 * <p>Safe for any number of threads. Correlation ids start at a random 64-bit value per client and increase, so
 * clients on different nodes answering through the same response type do not collide; responses with ids this
 * client did not issue (or already gave up on) are ignored and counted in {@link #unmatched()}. Futures complete on
 * the responder's publishing thread (the response subscription is inline); use the {@code *Async} stages of
 * {@link CompletableFuture} for slow follow-up work. The responder side is {@link #serve}.
 *
 * @param <Q> the request message class
 * @param <R> the response message class
 */
@ProviderType
public final class RequestClient<Q, R> implements AutoCloseable {

    private final MessageBus bus;
    private final MessageType<Q> requestType;
    private final CorrelationWriter<Q> writeId;
    private final ToLongFunction<R> readResponseId;
    private final Subscription responses;
    private final ConcurrentHashMap<Long, CompletableFuture<R>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId;
    private final AtomicLong unmatched = new AtomicLong();

    private RequestClient(final MessageBus bus, final MessageType<Q> requestType, final CorrelationWriter<Q> writeId,
                          final MessageType<R> responseType, final ToLongFunction<R> readResponseId) {
        this.bus = bus;
        this.requestType = requestType;
        this.writeId = writeId;
        this.readResponseId = readResponseId;
        this.nextId = new AtomicLong(new SecureRandom().nextLong());
        this.responses = bus.subscribe(responseType, this::onResponse, Delivery.INLINE);
    }

    /**
     * Opens a client: subscribes to {@code responseType} on {@code bus} until {@link #close()}.
     *
     * @param bus            the bus (a service's view, so the subscription is attributed to the service)
     * @param requestType    the request type
     * @param writeId        returns the request with the given correlation id set (generated classes are
     *                       immutable, so this is typically a copy, e.g. {@code (q, id) -> q.withRequestId(id)})
     * @param responseType   the response type
     * @param readResponseId reads the correlation id a response carries
     * @param <Q>            the request class
     * @param <R>            the response class
     * @return the open client
     * @throws NullPointerException if an argument is {@code null}
     */
    public static <Q, R> RequestClient<Q, R> open(final MessageBus bus, final MessageType<Q> requestType,
                                                  final CorrelationWriter<Q> writeId,
                                                  final MessageType<R> responseType,
                                                  final ToLongFunction<R> readResponseId) {
        return new RequestClient<>(Objects.requireNonNull(bus, "bus"), Objects.requireNonNull(requestType,
            "requestType"), Objects.requireNonNull(writeId, "writeId"), Objects.requireNonNull(responseType,
            "responseType"), Objects.requireNonNull(readResponseId, "readResponseId"));
    }

    /**
     * Serves requests: subscribes {@code responder} to {@code requestType} and publishes each non-null response
     * it returns. The responder copies the request's correlation id into the response. An exception thrown by the
     * responder is isolated and counted like any handler error; the requester then times out.
     *
     * @param bus         the bus
     * @param requestType the request type
     * @param responder   computes the response, or {@code null} for none
     * @param delivery    how requests are delivered to the responder
     * @param <Q>         the request class
     * @param <R>         the response class; must be a generated {@link Message}
     * @return the subscription; close it to stop serving
     */
    public static <Q, R extends Message> Subscription serve(final MessageBus bus, final MessageType<Q> requestType,
                                                            final Function<? super Q, ? extends R> responder,
                                                            final Delivery delivery) {
        Objects.requireNonNull(responder, "responder");
        return bus.subscribe(requestType, request -> {
            final R response = responder.apply(request);
            if (response != null) {
                bus.publish(response);
            }
        }, delivery);
    }

    /**
     * Publishes {@code request} with a fresh correlation id.
     *
     * @param request the request (its own correlation id field is replaced)
     * @param timeout how long to wait for the response; positive
     * @return a future completing with the response, or exceptionally with {@link RequestTimeoutException} after
     *         {@code timeout}, or with the publish's {@link MyceliumException}
     * @throws IllegalArgumentException if {@code timeout} is not positive
     * @throws IllegalStateException    if the client is closed
     */
    public CompletableFuture<R> request(final Q request, final Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive but was " + timeout);
        }
        if (responses.isClosed()) {
            throw new IllegalStateException("request client for " + requestType.name() + " is closed");
        }
        final long id = nextId.getAndIncrement();
        final CompletableFuture<R> response = new CompletableFuture<>();
        final CompletableFuture<R> result = new CompletableFuture<>();
        pending.put(id, response);
        // orTimeout cancels its timer when the response arrives, so completed requests leave nothing scheduled
        response.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((r, t) -> {
            pending.remove(id, response);
            if (t == null) {
                result.complete(r);
            } else if (t instanceof TimeoutException) {
                result.completeExceptionally(new RequestTimeoutException("no response to " + requestType.name()
                    + " (type " + requestType.typeId() + ", correlation id " + id + ") within " + timeout.toMillis()
                    + " ms; is a responder subscribed, and does it copy the correlation id into the response?"));
            } else {
                result.completeExceptionally(t);
            }
        });
        try {
            bus.publish(requestType, writeId.withCorrelationId(request, id));
        } catch (final RuntimeException e) {
            response.completeExceptionally(e);
        }
        return result;
    }

    /**
     * Publishes {@code request} and waits for its response.
     *
     * @param request the request
     * @param timeout how long to wait; positive
     * @return the response
     * @throws RequestTimeoutException if no response arrived within {@code timeout}
     * @throws MyceliumException       if the publish failed, or the waiting thread was interrupted (its interrupt
     *                                 flag is then set again)
     */
    public R call(final Q request, final Duration timeout) {
        try {
            return request(request, timeout).get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MyceliumException("interrupted while waiting for the response to " + requestType.name(), e);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof MyceliumException cause) {
                throw cause;
            }
            throw new MyceliumException("request " + requestType.name() + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** @return requests waiting for a response now */
    public int pending() {
        return pending.size();
    }

    /** @return responses that matched no pending request of this client */
    public long unmatched() {
        return unmatched.get();
    }

    /** Closes the response subscription and fails pending requests. Idempotent. */
    @Override
    public void close() {
        responses.close();
        pending.values().forEach(f -> f.completeExceptionally(
            new MyceliumException("request client for " + requestType.name() + " was closed")));
    }

    private void onResponse(final R response) {
        final CompletableFuture<R> future = pending.get(readResponseId.applyAsLong(response));
        if (future == null || !future.complete(response)) {
            unmatched.incrementAndGet();
        }
    }

    /**
     * Sets the correlation id of a request message.
     *
     * @param <Q> the request class
     */
    @ConsumerType
    @FunctionalInterface
    public interface CorrelationWriter<Q> {

        /**
         * @param request       the request as given by the caller
         * @param correlationId the id to carry
         * @return the request carrying {@code correlationId}
         */
        Q withCorrelationId(Q request, long correlationId);
    }
}
