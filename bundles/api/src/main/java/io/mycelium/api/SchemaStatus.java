package io.mycelium.api;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Whether the bus uses a registered {@link Schema}, and why not when it does not.
 *
 * @param id        the schema id
 * @param digestHex the schema digest, 64 hexadecimal characters
 * @param types     how many message types the schema has
 * @param active    whether its types are registered on the bus
 * @param problem   why the schema is inactive (for example a type id clash), or the empty string when active
 */
@ProviderType
public record SchemaStatus(String id, String digestHex, int types, boolean active, String problem) {

    /** Validates the arguments. @throws NullPointerException if a string is {@code null} */
    public SchemaStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(digestHex, "digestHex");
        Objects.requireNonNull(problem, "problem");
    }
}
