package io.mycelium.testsupport;

import io.mycelium.api.MessageType;
import io.mycelium.api.Schema;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Schema} of raw types (each message is a {@code byte[]} of the type's size) with a given digest, for tests
 * of links and of the bus that need sizes and a digest but no generated classes. Immutable and thread-safe.
 */
public final class RawSchema implements Schema {

    private final String id;
    private final byte[] digest;
    private final Map<Integer, MessageType<?>> types = new LinkedHashMap<>();

    /**
     * @param id     the schema's id
     * @param digest its 32-byte digest (copied)
     * @param sizes  type id to payload size, in the order {@link #types()} lists them
     */
    public RawSchema(final String id, final byte[] digest, final Map<Integer, Integer> sizes) {
        this.id = id;
        this.digest = digest.clone();
        sizes.forEach((typeId, size) -> types.put(typeId, new RawType(typeId, size)));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    @Override
    public String digestHex() {
        return HexFormat.of().formatHex(digest);
    }

    @Override
    public List<MessageType<?>> types() {
        return new ArrayList<>(types.values());
    }

    @Override
    public MessageType<?> type(final int typeId) {
        return types.get(typeId);
    }

    @Override
    public String toString() {
        return "RawSchema " + id + " " + types.keySet();
    }

    /** One type: the payload is the message. */
    private static final class RawType implements MessageType<byte[]> {

        private final int typeId;
        private final int size;

        RawType(final int typeId, final int size) {
            this.typeId = typeId;
            this.size = size;
        }

        @Override
        public int typeId() {
            return typeId;
        }

        @Override
        public String name() {
            return "Raw" + typeId;
        }

        @Override
        public String topic() {
            return "raw";
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Class<byte[]> javaType() {
            return byte[].class;
        }

        @Override
        public void encode(final byte[] message, final ByteBuffer buffer, final int offset) {
            buffer.put(offset, message, 0, size);
        }

        @Override
        public byte[] decode(final ByteBuffer buffer, final int offset) {
            final byte[] out = new byte[size];
            buffer.get(offset, out);
            return out;
        }
    }
}
