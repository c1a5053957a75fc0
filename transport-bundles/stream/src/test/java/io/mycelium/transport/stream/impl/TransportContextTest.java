package io.mycelium.transport.stream.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.PlainEndpoints;

/** The control thread's shutdown runs what is already queued (a closing link's registry removal), not timers. */
class TransportContextTest {

    @Test
    void shouldRunQueuedControlTasksAndDropTimersWhenShutDown() throws Exception {
        final TransportContext context = new TransportContext(LinkSettings.defaults("n"), PlainEndpoints.of("tcp"),
                null, new LinkSchema(SchemaDigest.of(new byte[32]), List.of()));
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger ran = new AtomicInteger();
        context.onControl(() -> awaitQuietly(release)); // keeps the control thread busy while more is queued
        context.onControl(ran::incrementAndGet);
        context.schedule(() -> ran.addAndGet(100), 60_000);
        final Thread stopper = new Thread(() -> {
            try {
                context.shutdown(5_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!context.control().isShutdown() && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // shutdown has begun while the first task still runs
        }
        release.countDown();
        stopper.join(10_000);
        assertEquals(1, ran.get(), "the queued task ran before shutdown returned; the timer did not");
        assertTrue(context.control().isTerminated(), "the control thread ended");
    }

    private static void awaitQuietly(final CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
