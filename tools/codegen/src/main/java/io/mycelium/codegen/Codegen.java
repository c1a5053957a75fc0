package io.mycelium.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.mycelium.codegen.java.JavaEmitter;
import io.mycelium.codegen.model.Contracts;
import io.mycelium.codegen.parse.ContractsParser;
import io.mycelium.codegen.python.PythonEmitter;

/**
 * The code generator as a library: parses a contracts file and writes Java and/or Python sources. Used by the CLI
 * and the Maven plugin. Stateless.
 */
public final class Codegen {

    private Codegen() {
    }

    /**
     * Parses {@code contracts} and writes the requested outputs; files whose content is unchanged are not touched,
     * so incremental builds stay quiet.
     *
     * @param contracts   the contracts.yaml
     * @param javaOut     root of the Java source tree, or null for no Java
     * @param javaPackage the Java package (required with {@code javaOut})
     * @param schemaClass the schema class name, or null to derive it
     * @param pythonOut   directory that receives {@code mycelium_protocol/}, or null for no Python
     * @return the parsed contracts (for warnings and logging)
     * @throws io.mycelium.codegen.parse.ContractsException if the contracts are invalid
     * @throws IllegalArgumentException                      if the package or class name is invalid
     * @throws UncheckedIOException                          if a file cannot be written
     */
    public static Contracts generate(final Path contracts, final Path javaOut, final String javaPackage,
                                     final String schemaClass, final Path pythonOut) {
        final Contracts parsed = ContractsParser.parse(contracts);
        if (javaOut != null) {
            write(javaOut, JavaEmitter.emit(parsed, javaPackage, schemaClass));
        }
        if (pythonOut != null) {
            write(pythonOut, PythonEmitter.emit(parsed));
        }
        return parsed;
    }

    /**
     * Writes files below a root; creates directories; skips files whose bytes are already equal; deletes other
     * {@code .java}/{@code .py}/{@code py.typed} files in the directories it writes to, so a message removed from
     * the contracts does not leave a stale class behind in an incremental build.
     *
     * @param root  the directory
     * @param files relative path to content
     * @return the paths written or already up to date
     */
    public static List<Path> write(final Path root, final Map<String, String> files) {
        final List<Path> paths = new ArrayList<>();
        try {
            final java.util.Set<Path> wanted = new java.util.HashSet<>();
            files.keySet().forEach(name -> wanted.add(root.resolve(name).toAbsolutePath().normalize()));
            final java.util.Set<Path> directories = new java.util.TreeSet<>();
            wanted.forEach(path -> directories.add(path.getParent()));
            for (final Path directory : directories) {
                if (!Files.isDirectory(directory)) {
                    continue;
                }
                try (java.util.stream.Stream<Path> existing = Files.list(directory)) {
                    for (final Path path : existing.toList()) {
                        final String name = path.getFileName().toString();
                        final boolean generated = name.endsWith(".java") || name.endsWith(".py")
                            || name.equals("py.typed");
                        if (generated && Files.isRegularFile(path)
                            && !wanted.contains(path.toAbsolutePath().normalize())) {
                            Files.delete(path);
                        }
                    }
                }
            }
            for (final Map.Entry<String, String> file : files.entrySet()) {
                final Path path = root.resolve(file.getKey());
                final byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
                Files.createDirectories(path.getParent());
                if (!Files.exists(path) || !Arrays.equals(Files.readAllBytes(path), bytes)) {
                    Files.write(path, bytes);
                }
                paths.add(path);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write generated sources under " + root.toAbsolutePath() + ": "
                + e.getMessage(), e);
        }
        return paths;
    }
}
