package io.mycelium.console.impl.model;

import java.util.Objects;

/**
 * One schema the bus has seen. Immutable.
 *
 * @param id        the schema id
 * @param digestHex the schema digest, 64 hexadecimal characters (peers must have the same to link)
 * @param types     how many message types it has
 * @param active    whether its types are registered on the bus
 * @param problem   why it is not active, or the empty string
 */
public record SchemaRow(String id, String digestHex, int types, boolean active, String problem) {

    /** Checks the components. */
    public SchemaRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(digestHex, "digestHex");
        Objects.requireNonNull(problem, "problem");
    }
}
