package io.mycelium.python.impl.component;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.mycelium.api.Schema;
import io.mycelium.python.impl.PythonTestSupport;
import io.mycelium.python.impl.host.PythonHost;
import io.mycelium.python.impl.interpreter.PythonInterpreter;
import io.mycelium.testsupport.LoopbackBus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A protocol bundle's generated package is importable by its own name, and as mycelium_protocol while alone. */
class ProtocolPackageNameTest {

    private static final String DIGEST = SchemaPackagesTest.DIGEST;

    @TempDir
    Path temp;

    @Test
    void shouldImportGeneratedPackageByOwnNameAndAsMyceliumProtocolWhenItIsTheOnlyProtocol() throws Exception {
        final Path bundleRoot = temp.resolve("bundle");
        Files.createDirectories(bundleRoot.resolve("python/mycelium_protocol"));
        Files.writeString(bundleRoot.resolve("python/mycelium_protocol/__init__.py"),
                "SCHEMA_DIGEST = bytes.fromhex('" + DIGEST + "')\n");
        Files.writeString(bundleRoot.resolve("python/mycelium_protocol/messages.py"), "class Ping:\n    pass\n");
        final SchemaPackages schemas = new SchemaPackages(temp.resolve("data"));
        try (PythonHost runtime = PythonHost.start(PythonTestSupport.config(), new LoopbackBus(),
                schemas::digests, PythonTestSupport.DISPATCHER, 1.0)) {
            final PythonInterpreter host = runtime.interpreter();
            final Schema schema = new SchemaPackagesTest.FixedSchema();
            schemas.add(host, schema, SchemaPackagesTest.bundle(bundleRoot));
            host.exec("""
                    import importlib
                    def module_of(name):
                        return importlib.import_module(name).Ping.__module__
                    """, "<schema>");
            assertEquals("mycelium_protocol_test.messages", host.call("__main__", "module_of",
                    "mycelium_protocol_test.messages"));
            assertEquals("mycelium_protocol_test.messages", host.call("__main__", "module_of",
                    "mycelium_protocol.messages"));

            assertEquals(List.of(), schemas.remove(host, schema));
            assertEquals(List.of(), schemas.digests());
        }
    }

}
