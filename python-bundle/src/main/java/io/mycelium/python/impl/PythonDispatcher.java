package io.mycelium.python.impl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues the messages of one Python service's subscriptions and hands them to Python in batches, one GIL
 * acquisition per batch, on its own thread with a persistent Python thread state.
 *
 * <p>Many producers, one consumer: {@link #offer} is safe from any thread (the bus calls it inline on the publisher's
 * thread, and it copies the payload, which is valid only during the call). The dispatcher thread swaps the filled
 * arena for the drained one under the lock and delivers outside it (double buffering), so producers never wait for
 * Python. Records use the layout documented in deliver.c. The arena grows by doubling up to {@code maxBytes};
 * beyond that a message is dropped and counted.
 */
final class PythonDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PythonDispatcher.class);
    private static final int HEADER_BYTES = 16;
    private static final int INITIAL_BYTES = DispatcherSettings.MIN_QUEUE_BYTES;
    private static final long JOIN_TIMEOUT_MILLIS = 5_000;

    private final int serviceId;
    private final String serviceName;
    private final long callbackTable;
    private final int maxBytes;
    private final long spinNanos;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private volatile long offered; // messages ever queued; written under lock, read by the spinning dispatcher
    private ByteBuffer fill;      // guarded by lock
    private int fillRecords;      // guarded by lock
    private boolean running = true; // guarded by lock
    private ByteBuffer drain;     // dispatcher thread only (swapped under lock)

    /**
     * Creates and starts the dispatcher thread {@code python-dispatch-<serviceName>}.
     *
     * @param serviceId     the service id failures are reported for
     * @param serviceName   the service name, for the thread name and logs
     * @param callbackTable the service's callback table (owned by the caller, valid until this is closed)
     * @param settings      queue limit and idle spin
     */
    PythonDispatcher(final int serviceId, final String serviceName, final long callbackTable,
                     final DispatcherSettings settings) {
        this.serviceId = serviceId;
        this.serviceName = serviceName;
        this.callbackTable = callbackTable;
        this.maxBytes = settings.maxQueueBytes();
        this.spinNanos = settings.spinNanos();
        this.fill = ByteBuffer.allocateDirect(INITIAL_BYTES).order(ByteOrder.nativeOrder());
        this.drain = ByteBuffer.allocateDirect(INITIAL_BYTES).order(ByteOrder.nativeOrder());
        this.thread = new Thread(this::run, "python-dispatch-" + serviceName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Copies one message into the queue. Any thread.
     *
     * @param subscriptionId the key of the callback in the callback table
     * @param typeId         the type id
     * @param payload        the payload from position to limit; not modified
     * @return false if the message was dropped (queue full or dispatcher closed); the drop is counted
     */
    boolean offer(final long subscriptionId, final int typeId, final ByteBuffer payload) {
        final int size = payload.remaining();
        final int recordBytes = HEADER_BYTES + align8(size);
        final boolean queueFull; // else the dispatcher is closed: a drop, but not worth a warning
        lock.lock();
        try {
            if (running && (fill.remaining() >= recordBytes || grow(recordBytes))) {
                final int at = fill.position();
                fill.putLong(at, subscriptionId).putInt(at + 8, typeId).putInt(at + 12, size);
                fill.put(at + HEADER_BYTES, payload, payload.position(), size);
                fill.position(at + recordBytes);
                offered++; // volatile: a spinning dispatcher sees the message without taking the lock
                if (fillRecords++ == 0) {
                    notEmpty.signal();
                }
                return true;
            }
            queueFull = running;
        } finally {
            lock.unlock();
        }
        final long dropCount = dropped.incrementAndGet();
        if (queueFull && LogSampling.shouldLog(dropCount)) { // outside the lock: logging may block
            LOG.warn("Python service '{}': message of type {} ({} bytes) dropped, queue of {} bytes full (drop #{}); "
                    + "its callbacks are slower than the publishers", serviceName, typeId, size, maxBytes, dropCount);
        }
        return false;
    }

    /** Doubles the fill arena until {@code recordBytes} fit; false if that exceeds maxBytes. Under the lock. */
    private boolean grow(final int recordBytes) {
        final long needed = (long) fill.position() + recordBytes;
        if (needed > maxBytes) {
            return false;
        }
        long capacity = fill.capacity();
        while (capacity < needed) {
            capacity *= 2;
        }
        final ByteBuffer bigger = ByteBuffer.allocateDirect((int) Math.min(capacity, maxBytes))
                .order(ByteOrder.nativeOrder());
        bigger.put(0, fill, 0, fill.position());
        bigger.position(fill.position());
        fill = bigger;
        return true;
    }

    private static int align8(final int size) {
        return (size + 7) & ~7;
    }

    private void run() {
        try {
            NativeBridge.attachThread();
            long taken = 0; // the value of offered at the last swap
            while (true) {
                final int length;
                final int records;
                spinWhileIdle(taken);
                lock.lock();
                try {
                    while (fillRecords == 0 && running) {
                        notEmpty.await();
                    }
                    if (!running) {
                        dropped.addAndGet(fillRecords);
                        return;
                    }
                    final ByteBuffer full = fill;
                    fill = drain;
                    drain = full;
                    length = full.position();
                    records = fillRecords;
                    taken = offered;
                    fill.clear();
                    fillRecords = 0;
                } finally {
                    lock.unlock();
                }
                delivered.addAndGet(records); // counted when handed over: a watcher of Python's side sees it
                failed.addAndGet(NativeBridge.deliverBatch(callbackTable, drain, length, serviceId));
                drain.clear();
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException | Error e) {
            LOG.error("Python service '{}': dispatcher stopped by an unexpected failure; its callbacks get no more "
                    + "messages", serviceName, e);
        } finally {
            NativeBridge.detachThread();
        }
    }

    /** Spins up to spinNanos until a message is offered after {@code taken}; then the lock is worth taking. */
    private void spinWhileIdle(final long taken) {
        if (spinNanos == 0) {
            return;
        }
        final long start = System.nanoTime();
        while (offered == taken && System.nanoTime() - start < spinNanos) {
            Thread.onSpinWait();
        }
    }

    /** @return messages handed to Python (including those whose callback raised or was already closed) */
    long delivered() {
        return delivered.get();
    }

    /** @return messages dropped because the queue was full or the dispatcher closed */
    long dropped() {
        return dropped.get();
    }

    /** @return callbacks that raised */
    long failed() {
        return failed.get();
    }

    /**
     * Stops the thread after its current batch; queued messages are dropped and counted. Idempotent. Waits up to
     * 5 s for a callback that is still running.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() == thread) {
            return; // closed from inside a callback: the loop ends after this batch
        }
        try {
            thread.join(JOIN_TIMEOUT_MILLIS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Python service '{}': a callback is still running {} ms after its service was stopped; its "
                    + "dispatcher thread is left to finish it", serviceName, JOIN_TIMEOUT_MILLIS);
        }
    }

    /** @return whether the dispatcher thread has ended */
    boolean isTerminated() {
        return !thread.isAlive();
    }
}
