package io.mycelium.bus.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mycelium.api.Delivery;
import io.mycelium.api.Subscription;
import io.mycelium.api.request.RequestClient;
import io.mycelium.api.request.RequestTimeoutException;

/**
 * Request/response over the bus: requests are {@link Tick}s whose {@code seq} carries the correlation id; the
 * responder answers a {@link Reply} with {@code value = source * 10}.
 */
class RequestClientTest {

    private final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults(), new CapturingLogSink(), null);

    @AfterEach
    void closeBus() {
        bus.close();
    }

    private RequestClient<Tick, Reply> client() {
        return RequestClient.open(bus.forService("client"), Tick.TYPE, (q, id) -> new Tick(id, q.source()),
            Reply.TYPE, Reply::correlationId);
    }

    private Subscription responder(final Delivery delivery) {
        return RequestClient.serve(bus.forService("server"), Tick.TYPE, q -> new Reply(q.seq(), q.source() * 10),
            delivery);
    }

    @Test
    void shouldCompleteWithMatchingResponseWhenResponderAnswers() {
        final Subscription server = responder(Delivery.queued());
        try (RequestClient<Tick, Reply> client = client()) {
            for (int i = 1; i <= 100; i++) {
                assertEquals(i * 10, client.call(new Tick(0, i), Duration.ofSeconds(10)).value());
            }
            assertEquals(0, client.pending());
        } finally {
            server.close();
        }
    }

    @Test
    void shouldFailWithTimeoutWhenNoResponder() {
        try (RequestClient<Tick, Reply> client = client()) {
            final long start = System.nanoTime();
            final RequestTimeoutException e = assertThrows(RequestTimeoutException.class,
                () -> client.call(new Tick(0, 1), Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - start >= 50_000_000L, "waited the timeout");
            assertTrue(e.getMessage().contains("no response to Tick (type 1001, correlation id"), e.getMessage());
            Await.until("pending cleared", () -> client.pending() == 0);
        }
    }

    @Test
    void shouldTimeOutWhenResponderThrows() {
        final Subscription server = bus.subscribe(Tick.TYPE, q -> {
            throw new IllegalStateException("responder bug");
        });
        try (RequestClient<Tick, Reply> client = client()) {
            assertThrows(RequestTimeoutException.class, () -> client.call(new Tick(0, 1), Duration.ofMillis(20)));
            assertEquals(1, server.stats().handlerErrors());
        } finally {
            server.close();
        }
    }

    @Test
    void shouldIgnoreResponsesOfOtherClientsWhenSharingResponseType() {
        final Subscription server = responder(Delivery.INLINE);
        try (RequestClient<Tick, Reply> a = client(); RequestClient<Tick, Reply> b = client()) {
            assertEquals(10, a.call(new Tick(0, 1), Duration.ofSeconds(5)).value());
            assertEquals(20, b.call(new Tick(0, 2), Duration.ofSeconds(5)).value());
            assertEquals(1, a.unmatched());
            assertEquals(1, b.unmatched());
        } finally {
            server.close();
        }
    }

    @Test
    void shouldFailPendingRequestsWhenClosed() {
        final RequestClient<Tick, Reply> client = client();
        final CompletableFuture<Reply> f = client.request(new Tick(0, 1), Duration.ofSeconds(30));
        client.close();
        final ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertTrue(e.getCause().getMessage().contains("was closed"));
        assertThrows(IllegalStateException.class, () -> client.request(new Tick(0, 1), Duration.ofSeconds(1)));
        try (RequestClient<Tick, Reply> other = client()) {
            assertThrows(IllegalArgumentException.class, () -> other.request(new Tick(0, 1), Duration.ZERO));
        }
    }
}
