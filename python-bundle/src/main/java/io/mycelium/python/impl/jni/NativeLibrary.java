package io.mycelium.python.impl.jni;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Finds the bridge library and the build-time Python facts among this bundle's resources. Stateless.
 */
public final class NativeLibrary {

    /** The bridge library inside the bundle. */
    static final String LIBRARY_RESOURCE = "native/linux-x86_64/libmycelium_python.so";
    /** Written by build.sh: python.library, python.executable, python.version of the CPython built against. */
    static final String PROPERTIES_RESOURCE = "native/python.properties";

    private NativeLibrary() {
    }

    /**
     * JVM-wide marker (system properties are shared by every class loader): a second copy of the bridge, loaded by a
     * refreshed bundle's new class loader, would get its own native state and start CPython a second time.
     */
    static final String LOADED_PROPERTY = "io.mycelium.python.bridge.loaded";

    /** Copies the library out of the bundle to a temporary file and loads it into this class loader. */
    static void load() {
        final Object loadedBy = System.getProperties().putIfAbsent(LOADED_PROPERTY,
                String.valueOf(NativeLibrary.class.getClassLoader()));
        if (loadedBy != null) {
            throw new UnsatisfiedLinkError("the Mycelium Python bridge was already loaded in this JVM by " + loadedBy
                    + ": the python bundle must never be refreshed or installed twice (one CPython per JVM); "
                    + "restart the JVM");
        }
        final String os = System.getProperty("os.name", "") + "/" + System.getProperty("os.arch", "");
        if (!os.equals("Linux/amd64")) {
            throw new UnsatisfiedLinkError("the Mycelium Python bridge is built for Linux/amd64 only, not " + os);
        }
        try (InputStream in = NativeLibrary.class.getClassLoader().getResourceAsStream(LIBRARY_RESOURCE)) {
            if (in == null) {
                throw new UnsatisfiedLinkError(LIBRARY_RESOURCE + " is missing from the python bundle: it is built by "
                        + "src/main/c/build.sh during the Maven build (needs gcc and python3-dev)");
            }
            final Path dir = Files.createTempDirectory("mycelium-python");
            final Path library = dir.resolve("libmycelium_python.so");
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            library.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            System.load(library.toString());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot extract " + LIBRARY_RESOURCE + " to a temporary directory", e);
        }
    }

    /** @return the build-time Python facts (python.library, python.executable, python.version) */
    public static Properties buildProperties() {
        final Properties properties = new Properties();
        try (InputStream in = NativeLibrary.class.getClassLoader().getResourceAsStream(PROPERTIES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(PROPERTIES_RESOURCE + " is missing from the python bundle: it is "
                        + "written by src/main/c/build.sh during the Maven build");
            }
            properties.load(in);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + PROPERTIES_RESOURCE, e);
        }
        return properties;
    }
}
