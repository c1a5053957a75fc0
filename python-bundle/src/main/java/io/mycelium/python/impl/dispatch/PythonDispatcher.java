package io.mycelium.python.impl.dispatch;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

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
    // Bounded runs give producers room back while a long burst is delivered.
    private static final int MAX_BATCH_BYTES = 256 * 1024;
    /**
     * While spinning, the clock is read once per this many looks at the queue (a look is a volatile read and a pause
     * instruction; a clock read costs as much as several): the spin ends within a microsecond of its bound.
     */
    private static final int LOOKS_PER_CLOCK_READ = 16;

    private final int serviceId;
    private final String serviceName;
    private final long callbackTable;
    private final long spinNanos;
    private final MpscDispatchQueue queue;
    private final MpscDispatchQueue.BatchHandler toPython = this::deliver;
    private final Thread thread;
    private final AtomicLong deliveredInline = new AtomicLong();
    /** Queued messages handed to Python: written by the dispatcher thread only, so a release store, not an RMW. */
    private final AtomicLong deliveredQueued = new AtomicLong();
    /** How often the idle dispatcher parked: each park's wake-up is paid by the next message. Dispatcher thread only. */
    private final AtomicLong parks = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Drops on every message must not flood the log: ten lines per 10 s, the rest counted. */
    private final LogLimiter dropLog = new LogLimiter(Duration.ofSeconds(10), 10);
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger inlineCalls = new AtomicInteger(); // in flight: the callback table must outlive them
    private final ThreadLocal<InlineSlot> inlineSlots = new ThreadLocal<>();
    private final CallbackMarker batchMarker;
    /** One per thread that delivered inline; threads that ended are pruned by {@link #forEachMarker}. */
    private final Queue<CallbackMarker> inlineMarkers = new ConcurrentLinkedQueue<>();

    private volatile boolean running = true;
    private volatile boolean parked; // written by the dispatcher thread only
    private long ringAddress; // the queue's ring, for NativeBridge.deliverBatch; dispatcher thread only

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
        this.batchMarker = new CallbackMarker(thread, "dispatcher");
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
            final InlineSlot slot = inlineSlot();
            final ByteBuffer direct = payload.isDirect() ? payload : slot.copy(payload);
            deliveredInline.incrementAndGet();
            slot.marker.enter(System.nanoTime());
            try {
                countFailed(NativeBridge.deliverInline(callbackTable, subscriptionId, direct, direct.position(),
                        direct.remaining(), serviceId));
            } finally {
                slot.marker.exit();
            }
            return true;
        } finally {
            inlineCalls.decrementAndGet();
        }
    }

    /** This thread's inline state, made on its first inline delivery. */
    private InlineSlot inlineSlot() {
        InlineSlot slot = inlineSlots.get();
        if (slot == null) {
            slot = new InlineSlot(new CallbackMarker(Thread.currentThread(), "inline"));
            inlineSlots.set(slot);
            inlineMarkers.add(slot.marker);
        }
        return slot;
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
        // counted when handed over: a watcher of Python's side sees it
        deliveredQueued.lazySet(deliveredQueued.get() + records);
        if (ringAddress == 0) { // the queue hands over its one ring, which it keeps for the dispatcher's life
            ringAddress = NativeBridge.directAddress(ring);
        }
        batchMarker.enter(System.nanoTime());
        try {
            countFailed(NativeBridge.deliverBatch(callbackTable, ringAddress, ring.capacity(), offset, length,
                    serviceId));
        } finally {
            batchMarker.exit();
        }
    }

    private void countFailed(final int errors) {
        if (errors != 0) {
            failed.addAndGet(errors);
        }
    }

    /** Spins up to spinNanos for a message, then parks until a producer or close() unparks this thread. */
    private void awaitMessages() {
        if (spinNanos > 0 && spinForMessages()) {
            return; // found one spinning: no park announcement, so no producer pays for a needless unpark
        }
        parked = true; // announce, then re-check: a producer commits, then reads this flag
        if (queue.isEmpty() && running) {
            parks.lazySet(parks.get() + 1);
            LockSupport.park(this);
            Thread.interrupted(); // an interrupt is not a stop signal here (close() is); do not let it busy-spin park
        }
        parked = false;
    }

    /**
     * Spins on the queue without yielding: a dispatcher that gave its core away between looks would be behind other
     * runnable threads when the message lands, which is what parking costs already. The bound keeps the spin brief.
     *
     * @return whether a message came within spinNanos (or close() was called)
     */
    private boolean spinForMessages() {
        final long start = System.nanoTime();
        for (int looks = 1; running; looks++) {
            if (!queue.isEmpty()) {
                return true;
            }
            if (looks % LOOKS_PER_CLOCK_READ == 0 && System.nanoTime() - start >= spinNanos) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /** @return messages handed to Python (including those whose callback raised or was already closed) */
    public long delivered() {
        return deliveredQueued.get() + deliveredInline.get();
    }

    /**
     * @return how many times the idle dispatcher parked; each wake-up is paid by the message that ends it, so
     *         against the queued messages delivered this says how many found the dispatcher asleep rather than
     *         spinning (any thread)
     */
    public long parks() {
        return parks.get();
    }

    /** @return messages dropped because the queue was full or the dispatcher closed */
    public long dropped() {
        return dropped.get();
    }

    /** @return bytes waiting in the dispatcher's ring now (for consoles; any thread) */
    public int queuedBytes() {
        return queue.usedBytes();
    }

    /** @return the size of the dispatcher's ring in bytes */
    public int queueCapacityBytes() {
        return queue.capacity();
    }

    /** @return callbacks that raised */
    public long failed() {
        return failed.get();
    }

    /**
     * Calls {@code action} with the marker of the dispatcher thread and of each thread that delivered inline and is
     * still alive (markers of ended threads are dropped here). The watchdog thread only.
     *
     * @param action what to do with each marker
     */
    public void forEachMarker(final Consumer<CallbackMarker> action) {
        action.accept(batchMarker);
        inlineMarkers.removeIf(marker -> !marker.thread().isAlive());
        inlineMarkers.forEach(action);
    }

    /** @return the names of the threads still running a callback of this dispatcher, the dispatcher's first */
    public List<String> busyThreads() {
        final List<String> names = new ArrayList<>();
        if (thread.isAlive()) {
            names.add(thread.getName());
        }
        for (final CallbackMarker marker : inlineMarkers) {
            if (marker.since() != CallbackMarker.IDLE && marker.thread().isAlive()) {
                names.add(marker.thread().getName() + " (inline)");
            }
        }
        return names;
    }

    /**
     * Stops the thread after its current batch; queued messages are dropped and counted. Idempotent. Waits up to
     * {@code waitMillis} for a callback that is still running, then returns; {@link #awaitTermination} waits more.
     *
     * @param waitMillis how long to wait for the dispatcher thread
     * @return whether the dispatcher thread ended and no inline callback runs
     */
    public boolean close(final long waitMillis) {
        running = false;
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread) {
            return false; // closed from inside a callback: the loop ends after this batch
        }
        return awaitTermination(waitMillis);
    }

    /**
     * Waits up to {@code waitMillis} for the dispatcher thread to end and the inline callbacks in flight to return.
     *
     * @param waitMillis the bound
     * @return whether it is terminated
     */
    public boolean awaitTermination(final long waitMillis) {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        try {
            thread.join(Math.max(1, waitMillis));
            while (inlineCalls.get() != 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(5);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            dropped.addAndGet(queue.discard()); // a publisher that raced the stop; the thread's end orders this read
        }
        return isTerminated();
    }

    /** Stops the thread, waiting up to 1 s for a callback that is still running; idempotent. */
    @Override
    public void close() {
        close(1_000);
    }

    /** @return whether the dispatcher thread has ended and no inline callback is running */
    public boolean isTerminated() {
        return !thread.isAlive() && inlineCalls.get() == 0;
    }

    /** A publisher thread's inline state: its watchdog marker and its direct buffer for heap payloads. */
    private static final class InlineSlot {
        private final CallbackMarker marker;
        private ByteBuffer copy;

        InlineSlot(final CallbackMarker marker) {
            this.marker = marker;
        }

        /** Copies a heap payload into this thread's direct buffer (native code reads direct memory only). */
        ByteBuffer copy(final ByteBuffer payload) {
            if (copy == null || copy.capacity() < payload.remaining()) {
                copy = ByteBuffer.allocateDirect(Math.max(payload.remaining(), 256));
            }
            copy.clear();
            copy.put(0, payload, payload.position(), payload.remaining()).limit(payload.remaining());
            return copy;
        }
    }
}
