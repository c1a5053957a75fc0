package io.mycelium.bus.impl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.mycelium.api.Message;
import io.mycelium.api.MessageType;

/**
 * A hand-written response message: type 1002, 16 bytes: u64 correlation id, i32 value, 4 padding.
 *
 * @param correlationId the request's correlation id
 * @param value         the answer
 */
record Reply(long correlationId, int value) implements Message {

    static final MessageType<Reply> TYPE = new MessageType<>() {
        @Override
        public int typeId() {
            return 1002;
        }

        @Override
        public String name() {
            return "Reply";
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
        public Class<Reply> javaType() {
            return Reply.class;
        }

        @Override
        public void encode(final Reply message, final ByteBuffer buffer, final int offset) {
            final ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(offset, message.correlationId()).putInt(offset + 8, message.value()).putInt(offset + 12, 0);
        }

        @Override
        public Reply decode(final ByteBuffer buffer, final int offset) {
            final ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            return new Reply(b.getLong(offset), b.getInt(offset + 8));
        }
    };

    @Override
    public MessageType<Reply> messageType() {
        return TYPE;
    }
}
