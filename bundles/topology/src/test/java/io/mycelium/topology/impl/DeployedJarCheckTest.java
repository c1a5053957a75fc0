package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployedJarCheckTest {

    @TempDir
    Path dir;

    @Test
    void shouldLeaveBundlesAndOtherFilesToFileInstall() throws IOException {
        final Manifest manifest = manifest();
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", "x");
        final Path bundle = jar("bundle.jar", manifest);
        assertEquals(Optional.empty(), DeployedJarCheck.problem(bundle.toFile()));
        assertFalse(new DeployedJarCheck().canHandle(Files.writeString(dir.resolve("x.py"), "").toFile()));
    }

    @Test
    void shouldNameTheReasonWhenAJarIsNotABundle() throws IOException {
        assertTrue(DeployedJarCheck.problem(Files.writeString(dir.resolve("text.jar"), "hello").toFile())
                .orElseThrow().startsWith("it is not a readable jar ("));
        assertEquals(Optional.of("it has no META-INF/MANIFEST.MF, so it is not an OSGi bundle"),
                DeployedJarCheck.problem(jar("plain.jar", null).toFile()));
        assertEquals(Optional.of("its manifest has no Bundle-SymbolicName, so it is not an OSGi bundle"),
                DeployedJarCheck.problem(jar("library.jar", manifest()).toFile()));
    }

    private static Manifest manifest() {
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        return manifest;
    }

    private Path jar(final String name, final Manifest manifest) throws IOException {
        final Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file);
             JarOutputStream jar = manifest == null ? new JarOutputStream(out) : new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new java.util.zip.ZipEntry("a.txt"));
            jar.write(1);
            jar.closeEntry();
        }
        return file;
    }
}
