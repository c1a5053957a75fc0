package io.mycelium.bus.impl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.mycelium.api.MessageType;

/**
 * Type 1001 as compiled into another protocol bundle: same layout, another Java class.
 *
 * @param seq    sequence number
 * @param source publisher id
 */
record OtherTick(long seq, int source) {

    static final MessageType<OtherTick> TYPE = new MessageType<>() {
        @Override
        public int typeId() {
            return 1001;
        }

        @Override
        public String name() {
            return "Tick";
        }

        @Override
        public String topic() {
            return "test";
        }

        @Override
        public int size() {
            return 16;
        }

        @Override
        public Class<OtherTick> javaType() {
            return OtherTick.class;
        }

        @Override
        public void encode(final OtherTick message, final ByteBuffer buffer, final int offset) {
            final ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(offset, message.seq()).putInt(offset + 8, message.source()).putInt(offset + 12, 0);
        }

        @Override
        public OtherTick decode(final ByteBuffer buffer, final int offset) {
            final ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            return new OtherTick(b.getLong(offset), b.getInt(offset + 8));
        }
    };
}
