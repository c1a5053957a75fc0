package io.mycelium.api;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The message types of one {@code contracts.yaml} and the digest that identifies it on the wire.
 *
 * <p>A protocol bundle registers exactly one {@code Schema} service. Implementations are generated and
 * immutable.
 */
@ConsumerType
public interface Schema {

    /** Service property carrying {@link #digestHex()}, so consumers can filter on a schema. */
    String DIGEST_PROPERTY = "mycelium.schema.digest";

    /** @return the schema id from the contracts file ({@code schema.id}), or the file name when absent */
    String id();

    /** @return the SHA-256 of the exact bytes of the contracts file (a fresh 32-byte copy) */
    byte[] digest();

    /** @return {@link #digest()} as 64 lower-case hexadecimal characters */
    String digestHex();

    /** @return every message type of the schema, ordered by type id */
    List<MessageType<?>> types();

    /**
     * Looks a message type up by its id.
     *
     * @param typeId the type id
     * @return the type, or {@code null} when this schema has no type with that id
     */
    MessageType<?> type(int typeId);
}
