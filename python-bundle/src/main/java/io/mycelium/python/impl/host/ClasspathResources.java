package io.mycelium.python.impl.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Copies this bundle's {@code python/} packages out of the class path (a directory or a jar) when the host runs
 * without OSGi (benchmarks, tools). Stateless.
 */
final class ClasspathResources {

    private static final String MARKER = "python/mycelium_native/__init__.py";

    private ClasspathResources() {
    }

    /**
     * @param target the directory to fill when the packages are inside a jar
     * @return the directory that holds {@code mycelium_native}: the class-path directory itself, or {@code target}
     */
    static Path pythonPackages(final Path target) {
        final URL marker = ClasspathResources.class.getClassLoader().getResource(MARKER);
        if (marker == null) {
            throw new IllegalStateException(MARKER + " is not on the class path: add the python bundle's jar");
        }
        try {
            if ("file".equals(marker.getProtocol())) {
                return Path.of(marker.toURI()).getParent().getParent();
            }
            if (!"jar".equals(marker.getProtocol())) {
                throw new IllegalStateException("cannot read " + marker + ": only file: and jar: class paths work");
            }
            final JarURLConnection connection = (JarURLConnection) marker.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = new JarFile(Path.of(connection.getJarFileURL().toURI()).toFile())) {
                final Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    final JarEntry entry = entries.nextElement();
                    if (entry.isDirectory() || !entry.getName().startsWith("python/")) {
                        continue;
                    }
                    final Path file = target.resolve(entry.getName().substring("python/".length())).normalize();
                    if (!file.startsWith(target)) {
                        throw new IOException("jar entry " + entry.getName() + " escapes " + target);
                    }
                    Files.createDirectories(file.getParent());
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return target;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot copy the python/ packages from " + marker + " to " + target, e);
        } catch (final URISyntaxException e) {
            throw new IllegalStateException("cannot read " + marker, e);
        }
    }

    /**
     * Deletes a directory tree, for temporary copies.
     *
     * @param directory the tree
     */
    static void deleteTree(final Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
