package io.mycelium.python.impl.component;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.mycelium.api.Schema;
import io.mycelium.python.impl.interpreter.PythonInterpreter;

import org.osgi.framework.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks the node's {@link Schema} services for Python: their digests (for {@code Runtime(schema_digest=...)}) and
 * their bundles' generated Python packages, copied to a data directory. A bundle's {@code python/mycelium_protocol}
 * becomes importable under a name of its own, {@code mycelium_protocol_<name>} ({@link #packageName}), so several
 * protocols live side by side; {@code mycelium_protocol} names it while it is the only one (see
 * {@code mycelium_native._schemas}). A bundle whose {@code python/} holds other packages has that folder put on
 * {@code sys.path}. Safe for any number of threads.
 */
final class SchemaPackages {

    /** The prefix of every protocol package's own name. */
    static final String PREFIX = "mycelium_protocol_";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaPackages.class);
    private static final String HOST_MODULE = "mycelium_native._host";
    private static final String GENERATED = "mycelium_protocol";

    /** What was done for one schema: nothing, a sys.path entry, or a named package. */
    private record Entry(String path, String packageName) {
        static final Entry NONE = new Entry("", "");
    }

    private final Path dataDirectory;
    private final Map<Schema, Entry> entries = new ConcurrentHashMap<>();

    /** @param dataDirectory where the packages are copied, one sub-directory per schema bundle */
    SchemaPackages(final Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    /** @return the hex digests of the tracked schemas */
    List<String> digests() {
        return entries.keySet().stream().map(Schema::digestHex).sorted().toList();
    }

    /**
     * The name a protocol's Python package is imported by: {@code mycelium_protocol_} and the schema id of its
     * contracts ({@code schema.id}) when that is a name, else the last segment of the bundle's symbolic name; lower
     * case, each run of other characters than letters and digits as one {@code _}. E.g. schema {@code user-protocol}:
     * {@code mycelium_protocol_user_protocol}; schema {@code 0x4D594345} of bundle {@code io.mycelium.examples}:
     * {@code mycelium_protocol_examples}.
     *
     * @param schemaId     the schema id
     * @param symbolicName the bundle's symbolic name
     * @return the package name
     */
    static String packageName(final String schemaId, final String symbolicName) {
        final String source = schemaId.matches("[A-Za-z][A-Za-z0-9_.-]*") ? schemaId
                : symbolicName.substring(symbolicName.lastIndexOf('.') + 1);
        final String name = source.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
        return PREFIX + (name.isEmpty() ? "schema" : name);
    }

    /**
     * Tracks a schema and makes its bundle's Python package importable.
     *
     * @param interpreter the interpreter
     * @param schema the schema service
     * @param bundle the bundle that registered it
     * @return whether the bundle had a Python package, now importable
     */
    boolean add(final PythonInterpreter interpreter, final Schema schema, final Bundle bundle) {
        final Path target = dataDirectory.resolve("schema-" + bundle.getBundleId() + "-" + schema.digestHex());
        // The digest is accepted before the package is importable: a service that imports it at once (one that had
        // failed on import, or one FileInstall starts now) must find its schema_digest on the node.
        entries.putIfAbsent(schema, Entry.NONE);
        Entry entry = Entry.NONE;
        if (BundleResources.extract(bundle, "python", target)) {
            final Path generated = target.resolve(GENERATED);
            if (Files.isRegularFile(generated.resolve("__init__.py"))) {
                final String name = uniqueName(packageName(schema.id(), bundle.getSymbolicName()), bundle);
                interpreter.call(HOST_MODULE, "add_schema_package", name, generated.toString(), schema.id(),
                        bundle.getSymbolicName());
                entry = new Entry("", name);
                LOG.info("schema {} ({}): Python package of bundle {} on sys.path as '{}' from {}; {}", schema.id(),
                        schema.digestHex(), bundle.getSymbolicName(), name, target, aliasNote(interpreter));
            } else {
                interpreter.call(HOST_MODULE, "add_path", target.toString());
                entry = new Entry(target.toString(), "");
                LOG.info("schema {} ({}): Python package of bundle {} on sys.path from {}", schema.id(),
                        schema.digestHex(), bundle.getSymbolicName(), target);
            }
        }
        entries.put(schema, entry);
        return entry != Entry.NONE;
    }

    /**
     * Forgets a schema: takes its package off sys.path and purges its modules.
     *
     * @param interpreter the interpreter
     * @param schema the schema service
     * @return the services that used its named package (to restart: their classes are gone)
     */
    List<String> remove(final PythonInterpreter interpreter, final Schema schema) {
        final Entry entry = entries.remove(schema);
        final List<String> users = new ArrayList<>();
        if (entry == null || entry == Entry.NONE) {
            return users;
        }
        if (!entry.path().isEmpty()) {
            interpreter.call(HOST_MODULE, "remove_path", entry.path());
            return users;
        }
        final Object used = interpreter.call(HOST_MODULE, "remove_schema_package", entry.packageName());
        if (used instanceof Object[] names) {
            for (final Object name : names) {
                users.add(String.valueOf(name));
            }
        }
        LOG.info("schema {} ({}): Python package '{}' removed and its modules purged{}; {}", schema.id(),
                schema.digestHex(), entry.packageName(), users.isEmpty() ? "" : ", restarting services " + users
                        + " that used it", aliasNote(interpreter));
        return users;
    }

    /** A name no other tracked schema uses: two bundles with the same schema id get the later's bundle id added. */
    private String uniqueName(final String name, final Bundle bundle) {
        final boolean taken = entries.values().stream().anyMatch(e -> !e.packageName().isEmpty()
                && e.packageName().equals(name));
        return taken ? name + "_" + bundle.getBundleId() : name;
    }

    private static String aliasNote(final PythonInterpreter interpreter) {
        final Object target = interpreter.call("mycelium_native._schemas", "alias_target");
        if (target != null) {
            return "mycelium_protocol names '" + target + "' (the only protocol deployed)";
        }
        final Object packages = interpreter.call("mycelium_native._schemas", "packages");
        final int count = packages instanceof Object[] names ? names.length : 0;
        return count == 0 ? "no protocol package deployed" : "mycelium_protocol is ambiguous (" + count
                + " protocols: " + String.join(", ", java.util.Arrays.stream((Object[]) packages)
                        .map(String::valueOf).toList()) + "); services import a protocol's package by its own name";
    }
}
