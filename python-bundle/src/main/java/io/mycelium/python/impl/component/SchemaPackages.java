package io.mycelium.python.impl.component;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.mycelium.api.Schema;
import io.mycelium.python.impl.interpreter.PythonInterpreter;

import org.osgi.framework.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks the node's {@link Schema} services for Python: their digests (for {@code Runtime(schema_digest=...)}) and
 * their bundles' generated Python packages ({@code python/mycelium_protocol/...}), copied to a data directory and put
 * on {@code sys.path}. Safe for any number of threads.
 */
final class SchemaPackages {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaPackages.class);
    private static final String HOST_MODULE = "mycelium_native._host";

    private final Path dataDirectory;
    private final Map<Schema, String> pathBySchema = new ConcurrentHashMap<>(); // value "" when no Python package

    /** @param dataDirectory where the packages are copied, one sub-directory per schema bundle */
    SchemaPackages(final Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    /** @return the hex digests of the tracked schemas */
    List<String> digests() {
        return pathBySchema.keySet().stream().map(Schema::digestHex).sorted().toList();
    }

    /**
     * Tracks a schema and puts its bundle's {@code python/} folder on sys.path.
     *
     * @param interpreter the interpreter
     * @param schema the schema service
     * @param bundle the bundle that registered it
     * @return whether the bundle had a Python package, now on sys.path
     */
    boolean add(final PythonInterpreter interpreter, final Schema schema, final Bundle bundle) {
        final Path target = dataDirectory.resolve("schema-" + bundle.getBundleId() + "-" + schema.digestHex());
        String entry = "";
        if (BundleResources.extract(bundle, "python", target)) {
            entry = target.toString();
            interpreter.call(HOST_MODULE, "add_path", entry);
            LOG.info("schema {} ({}): Python package of bundle {} on sys.path from {}", schema.id(),
                    schema.digestHex(), bundle.getSymbolicName(), target);
        }
        pathBySchema.put(schema, entry);
        return !entry.isEmpty();
    }

    /**
     * Forgets a schema and takes its package off sys.path (modules already imported stay loaded).
     *
     * @param interpreter the interpreter
     * @param schema the schema service
     */
    void remove(final PythonInterpreter interpreter, final Schema schema) {
        final String entry = pathBySchema.remove(schema);
        if (entry != null && !entry.isEmpty()) {
            interpreter.call(HOST_MODULE, "remove_path", entry);
        }
    }
}
