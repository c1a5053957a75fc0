package io.mycelium.itests.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes minimal bundles (a manifest only) for deployment tests: enough for the framework to install, start,
 * update and uninstall them.
 */
final class FixtureBundles {

    private FixtureBundles() {
    }

    /**
     * @param target       the jar to write
     * @param symbolicName the bundle symbolic name
     * @param version      the bundle version
     * @return {@code target}
     * @throws IOException if writing fails
     */
    static Path manifestOnly(final Path target, final String symbolicName, final String version) throws IOException {
        final Manifest manifest = new Manifest();
        final Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.putValue("Bundle-ManifestVersion", "2");
        attributes.putValue("Bundle-SymbolicName", symbolicName);
        attributes.putValue("Bundle-Version", version);
        attributes.putValue("Bundle-Name", "e2e fixture " + symbolicName);
        try (OutputStream out = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return target;
    }
}
