package io.mycelium.bus.impl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;

import io.mycelium.api.Message;
import io.mycelium.api.MessageType;

/**
 * A hand-written test message (what codegen would generate): type 1001, 16 bytes: u64 seq, i32 source, 4 padding.
 *
 * @param seq    sequence number
 * @param source publisher id
 */
record Tick(long seq, int source) implements Message {

    static final TickType TYPE = new TickType(1001, "Tick");

    @Override
    public MessageType<Tick> messageType() {
        return TYPE;
    }

    /** The descriptor; counts encodes and decodes so tests can check "at most once". */
    static final class TickType implements MessageType<Tick> {
        final AtomicInteger encodes = new AtomicInteger();
        final AtomicInteger decodes = new AtomicInteger();
        private final int typeId;
        private final String name;
        private final int size;

        TickType(final int typeId, final String name) {
            this(typeId, name, 16);
        }

        TickType(final int typeId, final String name, final int size) {
            this.typeId = typeId;
            this.name = name;
            this.size = size;
        }

        @Override
        public int typeId() {
            return typeId;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String topic() {
            return "test";
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Class<Tick> javaType() {
            return Tick.class;
        }

        @Override
        public void encode(final Tick message, final ByteBuffer buffer, final int offset) {
            encodes.incrementAndGet();
            final ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(offset, message.seq()).putInt(offset + 8, message.source()).putInt(offset + 12, 0);
        }

        @Override
        public Tick decode(final ByteBuffer buffer, final int offset) {
            decodes.incrementAndGet();
            final ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            return new Tick(b.getLong(offset), b.getInt(offset + 8));
        }
    }

    /** @return the encoded 16 bytes */
    static ByteBuffer bytes(final long seq, final int source) {
        final ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, seq).putInt(8, source);
        return b;
    }
}
