package io.mycelium.bus.impl;

import java.util.List;

import io.mycelium.api.MessageType;
import io.mycelium.api.Schema;

/** A schema of given types and digest (a protocol bundle's Schema service, for tests). */
final class TestSchema implements Schema {

    private final String id;
    private final String digestHex;
    private final List<MessageType<?>> types;

    TestSchema(final String id, final char digestChar, final MessageType<?>... types) {
        this.id = id;
        this.digestHex = String.valueOf(digestChar).repeat(64);
        this.types = List.of(types);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public byte[] digest() {
        return new byte[32];
    }

    @Override
    public String digestHex() {
        return digestHex;
    }

    @Override
    public List<MessageType<?>> types() {
        return types;
    }

    @Override
    public MessageType<?> type(final int typeId) {
        for (final MessageType<?> t : types) {
            if (t.typeId() == typeId) {
                return t;
            }
        }
        return null;
    }
}
