package io.mycelium.transport.stream.impl;

import io.mycelium.api.MessageType;
import io.mycelium.api.Schema;
import io.mycelium.protocol.digest.SchemaDigest;

import java.util.Arrays;
import java.util.List;

/**
 * What links need of the node's chosen {@link Schema}: its digest (sent and checked in handshakes), the payload size
 * of each type id (checked for every frame read) and every type id (sent to a legacy client).
 *
 * <p>Immutable and safe for any thread; {@link #payloadSize} allocates nothing.
 */
public final class LinkSchema {

    private final SchemaDigest digest;
    private final int[] sizes = new int[0x10000];
    private final int[] typeIds;
    private final String[] names = new String[0x10000];

    LinkSchema(final SchemaDigest digest, final List<MessageType<?>> types) {
        this.digest = digest;
        Arrays.fill(sizes, -1);
        this.typeIds = new int[types.size()];
        for (int i = 0; i < types.size(); i++) {
            final MessageType<?> type = types.get(i);
            sizes[type.typeId()] = type.size();
            typeIds[i] = type.typeId();
            names[type.typeId()] = type.name();
        }
    }

    /**
     * @param schema the schema links carry
     * @return its link view
     * @throws IllegalArgumentException when the schema's digest is not 32 bytes
     */
    public static LinkSchema of(final Schema schema) {
        return new LinkSchema(SchemaDigest.of(schema.digest()), schema.types());
    }

    /** Returns the schema's digest. */
    public SchemaDigest digest() {
        return digest;
    }

    /** Returns the payload size of {@code typeId}, or -1 when the schema has no such type. Allocates nothing. */
    public int payloadSize(final int typeId) {
        return typeId >= 0 && typeId < sizes.length ? sizes[typeId] : -1;
    }

    /** Returns {@code "<name> (<id>)"} for log lines, or {@code "type <id>"} when the schema lacks it. */
    public String describe(final int typeId) {
        final String name = typeId >= 0 && typeId < names.length ? names[typeId] : null;
        return name == null ? "type " + typeId : name + " (" + typeId + ")";
    }

    /** Returns every type id of the schema, in the schema's order (a legacy client receives all of them). */
    public int[] typeIds() {
        return typeIds.clone();
    }
}
