package io.mycelium.itests.osgi.bus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Builds a tiny fixture bundle in memory: the classes of given packages from the test classes folder, a
 * hand-written manifest and DS component XML. Works in the test driver and inside the framework (the native
 * container shares the JVM and file system); the folder comes from system property {@value #CLASSES_PROPERTY}.
 */
public final class FixtureJar {

    /** System property with the test classes folder, set by the test configuration. */
    public static final String CLASSES_PROPERTY = "itest.test.classes";

    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    /**
     * @param symbolicName the Bundle-SymbolicName
     * @param version      the Bundle-Version
     */
    public FixtureJar(final String symbolicName, final String version) {
        headers.put("Bundle-ManifestVersion", "2");
        headers.put("Bundle-SymbolicName", symbolicName);
        headers.put("Bundle-Version", version);
    }

    /** @return the test classes folder */
    public static Path classesFolder() {
        final String configured = System.getProperty(CLASSES_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        try {
            return Path.of(FixtureJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (final URISyntaxException e) {
            throw new IllegalStateException("cannot locate the test classes folder; set -D" + CLASSES_PROPERTY, e);
        }
    }

    /**
     * @param name  a manifest header
     * @param value its value
     * @return this
     */
    public FixtureJar header(final String name, final String value) {
        headers.put(name, value);
        return this;
    }

    /**
     * Adds every class file of a package (not its subpackages).
     *
     * @param packageName the package
     * @return this
     */
    public FixtureJar classesOf(final String packageName) {
        final String path = packageName.replace('.', '/');
        final Path dir = classesFolder().resolve(path);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.class")) {
            for (final Path f : files) {
                entries.put(path + "/" + f.getFileName(), Files.readAllBytes(f));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read fixture classes of " + packageName + " from " + dir, e);
        }
        return this;
    }

    /**
     * Adds a DS component description and lists it in Service-Component.
     *
     * @param name the component name (also the XML file name)
     * @param xml  the component XML
     * @return this
     */
    public FixtureJar component(final String name, final String xml) {
        final String path = "OSGI-INF/" + name + ".xml";
        entries.put(path, xml.getBytes(StandardCharsets.UTF_8));
        headers.merge("Service-Component", path, (a, b) -> a + "," + b);
        return this;
    }

    /** @return the jar's bytes */
    public byte[] build() {
        final Manifest manifest = new Manifest();
        final Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((k, v) -> main.put(new Attributes.Name(k), v));
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (final Map.Entry<String, byte[]> e : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
