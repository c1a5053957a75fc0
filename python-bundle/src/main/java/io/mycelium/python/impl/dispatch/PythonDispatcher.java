package io.mycelium.python.impl.dispatch;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.mycelium.python.impl.jni.NativeBridge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mycelium.logging.LogLimiter;

/**
 * Delivers the messages of one Python service's subscriptions: queued ones in batches, one GIL acquisition per batch,
 * on its own thread with a persistent Python thread state; inline ones on the publisher's thread.
 *
 * <p>Many producers, one consumer: {@link #offer} is safe from any thread (the bus calls it inline on the publisher's
 * thread) and never waits: it copies the payload, which is valid only during the call, into a lock-free
 * {@link MpscDispatchQueue}. The dispatcher thread hands runs of records to Python in place. When idle it spins
 * {@code spinNanos}, then announces that it parks and parks; a producer that sees the announcement after its commit
 * unparks it. A full queue drops the message and counts it. {@link #deliverInline} calls the callback at once on the
 * calling thread (any thread), taking the GIL there.
 */
public final class PythonDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PythonDispatcher.class);
    private static final long JOIN_TIMEOUT_MILLIS = 5_000;
    // Bounded runs give producers room back while a long burst is delivered.
    private static final int MAX_BATCH_BYTES = 256 * 1024;

    private final int serviceId;
    private final String serviceName;
    private final long callbackTable;
    private final long spinNanos;
    private final MpscDispatchQueue queue;
    private final MpscDispatchQueue.BatchHandler toPython = this::deliver;
    private final Thread thread;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Drops on every message must not flood the log: ten lines per 10 s, the rest counted. */
    private final LogLimiter dropLog = new LogLimiter(Duration.ofSeconds(10), 10);
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger inlineCalls = new AtomicInteger(); // in flight: the callback table must outlive them
    private final ThreadLocal<ByteBuffer> inlineCopies = new ThreadLocal<>();

    private volatile boolean running = true;
    private volatile boolean parked; // written by the dispatcher thread only

    /**
     * Creates and starts the dispatcher thread {@code python-dispatch-<serviceName>}.
     *
     * @param serviceId     the service id failures are reported for
     * @param serviceName   the service name, for the thread name and logs
     * @param callbackTable the service's callback table (owned by the caller, valid until this is closed)
     * @param settings      queue size and idle spin
     */
    public PythonDispatcher(final int serviceId, final String serviceName, final long callbackTable,
                            final DispatcherSettings settings) {
        this.serviceId = serviceId;
        this.serviceName = serviceName;
        this.callbackTable = callbackTable;
        this.spinNanos = settings.spinNanos();
        this.queue = new MpscDispatchQueue(settings.ringCapacity());
        this.thread = new Thread(this::run, "python-dispatch-" + serviceName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Copies one message into the queue. Any thread; never blocks.
     *
     * @param subscriptionId the key of the callback in the callback table
     * @param typeId         the type id
     * @param payload        the payload from position to limit; not modified
     * @return false if the message was dropped (queue full, too large, or dispatcher closed); the drop is counted
     */
    public boolean offer(final long subscriptionId, final int typeId, final ByteBuffer payload) {
        if (running && queue.offer(subscriptionId, typeId, payload)) {
            if (parked) {
                LockSupport.unpark(thread);
            }
            return true;
        }
        final long dropCount = dropped.incrementAndGet();
        final long suppressed = running ? dropLog.tryAcquire() : LogLimiter.SUPPRESSED;
        if (suppressed != LogLimiter.SUPPRESSED) {
            final int size = payload.remaining();
            if (size > queue.maxPayload()) {
                LOG.warn("Python service '{}': message of type {} ({} bytes) dropped, larger than half its queue of "
                        + "{} bytes (drop #{}{}); raise dispatcher.queue.bytes", serviceName, typeId, size,
                        queue.capacity(), dropCount, dropLog.summary(suppressed));
            } else {
                LOG.warn("Python service '{}': message of type {} ({} bytes) dropped, queue of {} bytes full (drop "
                        + "#{}{}); its callbacks are slower than the publishers", serviceName, typeId, size,
                        queue.capacity(), dropCount, dropLog.summary(suppressed));
            }
        }
        return false;
    }

    /**
     * Calls the subscription's callback on this thread now, under the GIL. Any thread; a callback that raises is
     * reported and counted, never thrown to the publisher. A slow callback slows the publisher (the inline contract).
     *
     * @param subscriptionId the key of the callback in the callback table
     * @param payload        the payload from position to limit; not modified
     * @return false if the dispatcher is closed (the message is counted as dropped)
     */
    public boolean deliverInline(final long subscriptionId, final ByteBuffer payload) {
        inlineCalls.incrementAndGet(); // before reading running: close() reads them the other way round
        try {
            if (!running) {
                dropped.incrementAndGet();
                return false;
            }
            final ByteBuffer direct = payload.isDirect() ? payload : directCopy(payload);
            delivered.incrementAndGet();
            failed.addAndGet(NativeBridge.deliverInline(callbackTable, subscriptionId, direct, direct.position(),
                    direct.remaining(), serviceId));
            return true;
        } finally {
            inlineCalls.decrementAndGet();
        }
    }

    /** Copies a heap payload into this thread's direct buffer (native code reads direct memory only). */
    private ByteBuffer directCopy(final ByteBuffer payload) {
        ByteBuffer copy = inlineCopies.get();
        if (copy == null || copy.capacity() < payload.remaining()) {
            copy = ByteBuffer.allocateDirect(Math.max(payload.remaining(), 256));
            inlineCopies.set(copy);
        }
        copy.clear();
        copy.put(0, payload, payload.position(), payload.remaining()).limit(payload.remaining());
        return copy;
    }

    private void run() {
        try {
            NativeBridge.attachThread();
            while (running) {
                if (queue.drain(toPython, MAX_BATCH_BYTES) == 0) {
                    awaitMessages();
                }
            }
        } catch (final RuntimeException | Error e) {
            LOG.error("Python service '{}': dispatcher stopped by an unexpected failure; its callbacks get no more "
                    + "messages", serviceName, e);
            running = false;
        } finally {
            dropped.addAndGet(queue.discard());
            NativeBridge.detachThread();
        }
    }

    private void deliver(final ByteBuffer ring, final int offset, final int length, final int records) {
        delivered.addAndGet(records); // counted when handed over: a watcher of Python's side sees it
        failed.addAndGet(NativeBridge.deliverBatch(callbackTable, ring, offset, length, serviceId));
    }

    /** Spins up to spinNanos for a message, then parks until a producer or close() unparks this thread. */
    private void awaitMessages() {
        if (spinNanos > 0) {
            final long start = System.nanoTime();
            while (queue.isEmpty() && running && System.nanoTime() - start < spinNanos) {
                Thread.onSpinWait();
            }
        }
        parked = true; // announce, then re-check: a producer commits, then reads this flag
        if (queue.isEmpty() && running) {
            LockSupport.park(this);
            Thread.interrupted(); // an interrupt is not a stop signal here (close() is); do not let it busy-spin park
        }
        parked = false;
    }

    /** @return messages handed to Python (including those whose callback raised or was already closed) */
    public long delivered() {
        return delivered.get();
    }

    /** @return messages dropped because the queue was full or the dispatcher closed */
    public long dropped() {
        return dropped.get();
    }

    /** @return callbacks that raised */
    public long failed() {
        return failed.get();
    }

    /**
     * Stops the thread after its current batch; queued messages are dropped and counted. Idempotent. Waits up to
     * 5 s for a callback that is still running.
     */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread) {
            return; // closed from inside a callback: the loop ends after this batch
        }
        try {
            thread.join(JOIN_TIMEOUT_MILLIS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            dropped.addAndGet(queue.discard()); // a publisher that raced the stop; the thread's end orders this read
        } else {
            LOG.warn("Python service '{}': a callback is still running {} ms after its service was stopped; its "
                    + "dispatcher thread is left to finish it", serviceName, JOIN_TIMEOUT_MILLIS);
        }
    }

    /** @return whether the dispatcher thread has ended and no inline callback is running */
    public boolean isTerminated() {
        return !thread.isAlive() && inlineCalls.get() == 0;
    }
}
