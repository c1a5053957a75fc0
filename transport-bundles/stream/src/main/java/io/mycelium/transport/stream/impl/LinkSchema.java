package io.mycelium.transport.stream.impl;

import io.mycelium.api.MessageType;
import io.mycelium.api.Schema;
import io.mycelium.protocol.control.ControlDescriptor;
import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.frame.FrameSizeLimits;

import java.util.Arrays;
import java.util.List;

/**
 * What links need of the node's chosen {@link Schema}: its digest (sent and checked in handshakes), the payload size
 * of each type id (checked for every frame read), the longest payload each type id may announce (checked at the
 * header, {@link FrameSizeLimits}) and every type id (sent to a legacy client).
 *
 * <p>Header limits: a type of the schema may announce exactly its size (a shorter frame is read and skipped as
 * {@code frames.wrong.size}); a type id the schema lacks at most the largest size of the schema (so that it can be
 * skipped, or closed under {@code close.on.unknown.type}); a control frame what its layout allows
 * (SUBSCRIBE/UNSUBSCRIBE {@value ControlDescriptor#MAX_TYPE_IDS} ids, GOODBYE {@value
 * ControlDescriptor#MAX_TEXT_LENGTH} bytes of text, PING/PONG the nonce); a core-range id reserved for later
 * versions at most {@value #RESERVED_CORE_LIMIT} bytes. Anything longer cannot be a valid frame of this schema, so
 * it is refused before a byte of it is buffered.
 *
 * <p>Immutable and safe for any thread; {@link #payloadSize} and {@link #maxPayloadLength} allocate nothing.
 */
public final class LinkSchema implements FrameSizeLimits {

    /** Header limit of a core-range type id that no control frame uses yet (room for later protocol versions). */
    static final int RESERVED_CORE_LIMIT = 64 * 1024;

    private final SchemaDigest digest;
    private final int[] sizes = new int[0x10000];
    private final int[] typeIds;
    private final String[] names = new String[0x10000];
    private final int[] limits = new int[0x10000];

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
        int largest = 0;
        for (final MessageType<?> type : types) {
            largest = Math.max(largest, type.size());
        }
        Arrays.fill(limits, 0, ControlDescriptor.FIRST_APPLICATION_TYPE_ID, RESERVED_CORE_LIMIT);
        Arrays.fill(limits, ControlDescriptor.FIRST_APPLICATION_TYPE_ID, limits.length, largest);
        final int list = ControlDescriptor.LIST_IDS_OFFSET + 2 * ControlDescriptor.MAX_TYPE_IDS;
        limits[ControlDescriptor.SUBSCRIBE] = list;
        limits[ControlDescriptor.UNSUBSCRIBE] = list;
        limits[ControlDescriptor.PING] = ControlDescriptor.NONCE_PAYLOAD_LENGTH;
        limits[ControlDescriptor.PONG] = ControlDescriptor.NONCE_PAYLOAD_LENGTH;
        limits[ControlDescriptor.GOODBYE] = ControlDescriptor.GOODBYE_TEXT_OFFSET + ControlDescriptor.MAX_TEXT_LENGTH;
        for (final MessageType<?> type : types) {
            limits[type.typeId()] = type.size();
        }
    }

    /** {@inheritDoc} See the class comment for each kind of type id. Allocates nothing. */
    @Override
    public int maxPayloadLength(final int typeId) {
        return typeId >= 0 && typeId < limits.length ? limits[typeId] : 0;
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
