package io.mycelium.python.impl.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import io.mycelium.api.MessageType;
import io.mycelium.api.Schema;
import io.mycelium.python.impl.PythonTestSupport;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.python.impl.host.PythonHost;
import io.mycelium.python.impl.interpreter.PythonInterpreter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/** A schema bundle's generated Python package goes on sys.path and its digest becomes acceptable, and back. */
class SchemaPackagesTest {

    static final String DIGEST = "ab".repeat(32);

    @TempDir
    Path temp;

    @Test
    void shouldImportSchemaPackageAndAcceptDigestWhenSchemaIsAdded() throws Exception {
        final Path bundleRoot = temp.resolve("bundle");
        Files.createDirectories(bundleRoot.resolve("python/generated_protocol"));
        Files.writeString(bundleRoot.resolve("python/generated_protocol/__init__.py"),
                "SCHEMA_DIGEST = bytes.fromhex('" + DIGEST + "')\n");
        final SchemaPackages schemas = new SchemaPackages(temp.resolve("data"));
        try (PythonHost runtime = PythonHost.start(PythonTestSupport.config(), new LoopbackBus(),
                schemas::digests, PythonTestSupport.DISPATCHER, 1.0)) {
            final PythonInterpreter host = runtime.interpreter();
            final Schema schema = new FixedSchema();
            schemas.add(host, schema, bundle(bundleRoot));
            assertEquals(List.of(DIGEST), schemas.digests());
            host.exec("""
                    from generated_protocol import SCHEMA_DIGEST
                    from mycelium_native import Runtime
                    Runtime(schema_digest=SCHEMA_DIGEST).close()
                    import sys
                    def on_path(fragment):
                        return any(fragment in entry for entry in sys.path)
                    """, "<schema>");
            assertTrue((Boolean) host.call("__main__", "on_path", "schema-7-" + DIGEST));

            schemas.remove(host, schema);
            assertEquals(List.of(), schemas.digests());
            assertFalse((Boolean) host.call("__main__", "on_path", "schema-7-" + DIGEST));
        }
    }

    @Test
    void shouldNamePackageAfterSchemaIdElseBundleWhenDerivingPackageName() {
        assertEquals("mycelium_protocol_user_protocol",
                SchemaPackages.packageName("user-protocol", "com.example.user-protocol"));
        assertEquals("mycelium_protocol_examples", SchemaPackages.packageName("0x4D594345", "io.mycelium.examples"));
        assertEquals("mycelium_protocol_wind_farm_v2", SchemaPackages.packageName("Wind.Farm--v2", "x"));
    }

    /** A bundle whose entries are the files under {@code root}, with bundle-style URL paths ("/python/..."). */
    static Bundle bundle(final Path root) {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBundleId" -> 7L;
                    case "getSymbolicName" -> "test.schema";
                    case "findEntries" -> entries(root, (String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Object entries(final Path root, final String folder) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve(folder))) {
            return Collections.enumeration(files.filter(Files::isRegularFile).map(file -> {
                try {
                    return new URL("bundle", "7.0", -1, "/" + root.relativize(file), new FileHandler(file));
                } catch (final IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList());
        }
    }

    private static final class FileHandler extends URLStreamHandler {
        private final Path file;

        FileHandler(final Path file) {
            this.file = file;
        }

        @Override
        protected URLConnection openConnection(final URL url) {
            return new URLConnection(url) {
                @Override
                public void connect() {
                }

                @Override
                public InputStream getInputStream() throws IOException {
                    return Files.newInputStream(file);
                }
            };
        }
    }

    static final class FixedSchema implements Schema {
        @Override
        public String id() {
            return "test";
        }

        @Override
        public byte[] digest() {
            return new byte[32];
        }

        @Override
        public String digestHex() {
            return DIGEST;
        }

        @Override
        public List<MessageType<?>> types() {
            return List.of();
        }

        @Override
        public MessageType<?> type(final int typeId) {
            return null;
        }
    }
}
