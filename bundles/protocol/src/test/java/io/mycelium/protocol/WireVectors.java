package io.mycelium.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The golden bytes of docs/wire-vectors.json, shared with the Python tests; read once per test class.
 */
public final class WireVectors {

    /** The vectors file, found relative to the module directory Maven runs the tests in. */
    public static final Path FILE = Path.of("../../docs/wire-vectors.json");

    private static final HexFormat HEX = HexFormat.of();

    private final JsonObject root;

    private WireVectors(final JsonObject root) {
        this.root = root;
    }

    /** Reads and parses the vectors file. */
    public static WireVectors load() {
        try {
            return new WireVectors(JsonParser.parseString(Files.readString(FILE, StandardCharsets.UTF_8))
                    .getAsJsonObject());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + FILE.toAbsolutePath()
                    + "; run the tests from the module directory (mvn does)", e);
        }
    }

    /** Returns the cases of the top-level list {@code name}. */
    public List<JsonObject> cases(final String name) {
        return objects(root.getAsJsonArray(name));
    }

    /** Returns the cases of the list {@code name} inside the top-level object {@code group}. */
    public List<JsonObject> cases(final String group, final String name) {
        return objects(root.getAsJsonObject(group).getAsJsonArray(name));
    }

    /** Decodes a hex string member of {@code object}. */
    public static byte[] hex(final JsonObject object, final String member) {
        return HEX.parseHex(object.get(member).getAsString());
    }

    /** Formats bytes as lower-case hex, the form the vectors use. */
    public static String hex(final byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static List<JsonObject> objects(final JsonArray array) {
        final List<JsonObject> out = new ArrayList<>();
        for (final JsonElement element : array) {
            out.add(element.getAsJsonObject());
        }
        return out;
    }
}
