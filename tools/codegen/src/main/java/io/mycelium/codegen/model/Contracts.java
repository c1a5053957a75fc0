package io.mycelium.codegen.model;

import java.util.HexFormat;
import java.util.List;

/**
 * A parsed, validated contracts.yaml: the message layouts plus the schema identity.
 *
 * @param source        the file name, used in messages and to derive names
 * @param schemaId      {@code schema.id} as written, or null when absent
 * @param version       {@code schema.version}, 1 when absent
 * @param minCompatible {@code schema.min_compatible}, equal to version when absent
 * @param digest        SHA-256 of the file bytes
 * @param messages      the messages ordered by type id
 * @param warnings      non-fatal findings (type ids outside the app range, ...), in file order
 */
public record Contracts(String source, String schemaId, int version, int minCompatible, byte[] digest,
                        List<MessageDef> messages, List<String> warnings) {

    /** @return a copy of the 32 digest bytes */
    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** @return the digest as 64 lower-case hex characters */
    public String digestHex() {
        return HexFormat.of().formatHex(digest);
    }
}
