package io.mycelium.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CLI options, exit codes and deterministic output. */
class CodegenCliTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args) {
        return CodegenCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path file(final String name, final String content) throws IOException {
        return Files.writeString(temp.resolve(name), content);
    }

    @Test
    void shouldGenerateJavaAndPython() {
        final int status = run("--contracts", "src/test/resources/all-types.yaml", "--java-out",
            temp.resolve("j").toString(), "--java-package", "com.example.p", "--python-out",
            temp.resolve("p").toString());
        assertEquals(CodegenCli.OK, status, err.toString());
        assertTrue(Files.exists(temp.resolve("j/com/example/p/TextMessage.java")));
        assertTrue(Files.exists(temp.resolve("j/com/example/p/AllTypesSchemaComponent.java")));
        assertTrue(Files.exists(temp.resolve("p/mycelium_protocol/py.typed")));
        assertTrue(out.toString().startsWith("generated 7 message types"), out.toString());
    }

    @Test
    void shouldProduceIdenticalBytesOnEveryRun() throws IOException {
        run("--contracts", "src/test/resources/all-types.yaml", "--java-out", temp.resolve("a").toString(),
            "--java-package", "x.y", "--python-out", temp.resolve("a").toString());
        run("--contracts", "src/test/resources/all-types.yaml", "--java-out", temp.resolve("b").toString(),
            "--java-package", "x.y", "--python-out", temp.resolve("b").toString());
        assertEquals(snapshot(temp.resolve("a")), snapshot(temp.resolve("b")));
    }

    private static Map<String, String> snapshot(final Path root) throws IOException {
        final Map<String, String> files = new HashMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (final Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(path).toString(), Files.readString(path));
            }
        }
        return files;
    }

    @Test
    void shouldRemoveStaleGeneratedFilesWhenAMessageIsRemoved() throws IOException {
        final String two = "messages:\n  A: {tlv_type: 1000, domain: T, description: d, fields: {}}\n"
            + "  B: {tlv_type: 1001, domain: T, description: d, fields: {}}\n";
        final Path contracts = file("c.yaml", two);
        final Path out = temp.resolve("gen");
        Files.createDirectories(out.resolve("x/y"));
        Files.writeString(out.resolve("x/y/notes.txt"), "kept");
        assertEquals(CodegenCli.OK, run("--contracts", contracts.toString(), "--java-out", out.toString(),
            "--java-package", "x.y", "--python-out", out.toString()));
        assertTrue(Files.exists(out.resolve("x/y/B.java")));
        Files.writeString(contracts, two.substring(0, two.indexOf("  B:")));
        assertEquals(CodegenCli.OK, run("--contracts", contracts.toString(), "--java-out", out.toString(),
            "--java-package", "x.y", "--python-out", out.toString()));
        assertTrue(Files.exists(out.resolve("x/y/A.java")));
        assertTrue(!Files.exists(out.resolve("x/y/B.java")));
        assertTrue(Files.exists(out.resolve("x/y/notes.txt")));
        assertTrue(Files.exists(out.resolve("mycelium_protocol/messages.py")));
    }

    @Test
    void shouldExitTwoOnUsageAndInputErrors() throws IOException {
        assertEquals(CodegenCli.ERROR, run("--java-out", "x"));
        assertTrue(err.toString().contains("--contracts FILE is required"), err.toString());
        assertEquals(CodegenCli.ERROR, run("--contracts", "src/test/resources/all-types.yaml"));
        assertTrue(err.toString().contains("choose at least one output"), err.toString());
        assertEquals(CodegenCli.ERROR, run("--bogus"));
        final Path bad = file("bad.yaml", "messages:\n  A: {tlv_type: 5, domain: T, description: d, fields: {}}\n");
        assertEquals(CodegenCli.ERROR, run("--contracts", bad.toString(), "--python-out", temp.toString()));
        assertTrue(err.toString().contains("error: bad.yaml:2: message A: type id 5 is in the core range"),
            err.toString());
        assertEquals(CodegenCli.ERROR, run("--check-compat", bad.toString()));
        assertEquals(CodegenCli.ERROR, run("--contracts", "missing.yaml", "--python-out", temp.toString()));
        assertTrue(err.toString().contains("error: missing.yaml:1: cannot read"), err.toString());
    }

    @Test
    void shouldExitZeroOrOneOnCompatibilityCheck() throws IOException {
        final Path older = file("old.yaml", io.mycelium.codegen.compat.CompatibilityCheckerTest.BASE);
        final Path same = file("same.yaml", io.mycelium.codegen.compat.CompatibilityCheckerTest.BASE
            + "  C: {tlv_type: 1009, domain: T, description: d, fields: {}}\n");
        final Path broken = file("broken.yaml", io.mycelium.codegen.compat.CompatibilityCheckerTest.BASE
            .replace("u64", "i64"));
        assertEquals(CodegenCli.OK, run("--check-compat", older.toString(), same.toString()));
        assertTrue(out.toString().contains("compatible: message C (type id 1009) added"), out.toString());
        assertEquals(CodegenCli.INCOMPATIBLE, run("--check-compat", older.toString(), broken.toString()));
        assertTrue(out.toString().contains("incompatible: message B: field y type changed u64 -> i64"), out.toString());
    }
}
