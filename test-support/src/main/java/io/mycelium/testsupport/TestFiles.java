package io.mycelium.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** File helpers tests share: removing a test's folder, and writing a file that watchers see complete. */
public final class TestFiles {

    private TestFiles() {
    }

    /**
     * Deletes {@code root} and everything below it; symbolic links are deleted, not followed. Nothing happens when
     * it does not exist.
     *
     * @param root a file or folder
     * @throws IOException if something cannot be deleted
     */
    public static void deleteRecursively(final Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * Writes {@code text} (UTF-8) to a hidden sibling and moves it over {@code file} atomically, so a folder watcher
     * (FileInstall, a node's {@code deploy/}) never reads it half written.
     *
     * @param file the file to create or replace
     * @param text its content
     * @return {@code file}
     * @throws IOException if writing or moving fails
     */
    public static Path writeAtomically(final Path file, final String text) throws IOException {
        final Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        return Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
