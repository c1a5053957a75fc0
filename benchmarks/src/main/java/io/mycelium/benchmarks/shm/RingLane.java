package io.mycelium.benchmarks.shm;

import io.mycelium.protocol.layout.LittleEndian;
import io.mycelium.transport.shm.impl.ring.ShmFrameHandler;
import io.mycelium.transport.shm.impl.ring.SpscFrameRingConsumer;
import io.mycelium.transport.shm.impl.ring.SpscFrameRingProducer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One direction of a ping-pong, carrying a 64-byte message whose first 8 bytes are a value (a timestamp or a marker):
 * either the raw slot ring (the floor) or the transport's record ring. One sending and one receiving thread.
 */
abstract class RingLane {

    /** Returned by {@link #receive()} when nothing is published. */
    static final long EMPTY = Long.MIN_VALUE;
    static final int MESSAGE = 64;

    final ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE).order(ByteOrder.LITTLE_ENDIAN);

    /** Sends one message carrying {@code value}; false when the ring is full. */
    abstract boolean send(long value);

    /** Takes the next message's value, or {@link #EMPTY}. */
    abstract long receive();

    /** Sends, spinning while the ring is full. */
    final void sendSpinning(final long value) {
        while (!send(value)) {
            Thread.onSpinWait();
        }
    }

    /** Receives, spinning while the ring is empty. */
    final long receiveSpinning() {
        long value;
        while ((value = receive()) == EMPTY) {
            Thread.onSpinWait();
        }
        return value;
    }

    /** The floor's lane. */
    static final class Raw extends RingLane {
        private final RawSlotRing ring;
        private final ByteBuffer buffer;

        Raw(final ByteBuffer buffer, final int base) {
            this.ring = new RawSlotRing(buffer, base);
            this.buffer = buffer;
        }

        @Override
        boolean send(final long value) {
            message.putLong(0, value);
            return ring.offer(message, MESSAGE);
        }

        @Override
        long receive() {
            final int index = ring.poll();
            if (index < 0) {
                return EMPTY;
            }
            final long value = (long) LittleEndian.I64.get(buffer, index);
            ring.release();
            return value;
        }
    }

    /** The transport's record ring: a 64-byte payload in a frame of type 1. */
    static final class Record extends RingLane implements ShmFrameHandler {
        private final SpscFrameRingProducer producer;
        private final SpscFrameRingConsumer consumer;
        private long received;

        Record(final SpscFrameRingProducer producer, final SpscFrameRingConsumer consumer) {
            this.producer = producer;
            this.consumer = consumer;
        }

        @Override
        boolean send(final long value) {
            message.putLong(0, value);
            return producer.offer(1, message, 0, MESSAGE) == SpscFrameRingProducer.OK;
        }

        @Override
        long receive() {
            return consumer.read(this, 1) == 0 ? EMPTY : received;
        }

        @Override
        public void onFrame(final ByteBuffer buffer, final int index, final int length) {
            // the payload follows the 6-byte frame header; 8-byte reads need no alignment in plain mode
            received = (long) LittleEndian.I64.get(buffer, index + 6);
        }
    }
}
