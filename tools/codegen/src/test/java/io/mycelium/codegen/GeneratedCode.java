package io.mycelium.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import io.mycelium.api.MessageType;
import io.mycelium.api.Schema;
import io.mycelium.codegen.java.JavaEmitter;
import io.mycelium.codegen.model.Contracts;
import io.mycelium.codegen.model.MessageDef;
import io.mycelium.codegen.parse.ContractsParser;
import io.mycelium.testsupport.TestFiles;

/**
 * Test fixture: generates Java and Python from a contracts file into {@code target/generated-test/<name>}, compiles
 * the Java with {@link JavaCompiler} against the test class path and loads it.
 */
public final class GeneratedCode {

    public static final String PACKAGE = "io.mycelium.gen.test";

    private final Contracts contracts;
    private final Path root;
    private final ClassLoader loader;

    private GeneratedCode(final Contracts contracts, final Path root, final ClassLoader loader) {
        this.contracts = contracts;
        this.root = root;
        this.loader = loader;
    }

    private static final java.util.Map<String, GeneratedCode> CACHE = new java.util.HashMap<>();

    /** Generates, compiles and loads (once per JVM) the code of a test resource such as {@code all-types.yaml}. */
    public static synchronized GeneratedCode of(final String resource) {
        return CACHE.computeIfAbsent(resource, GeneratedCode::generate);
    }

    private static GeneratedCode generate(final String resource) {
        try {
            final Path contractsFile = Path.of("src/test/resources", resource);
            final Path root = Path.of("target/generated-test", resource.replace(".yaml", ""));
            TestFiles.deleteRecursively(root);
            final Contracts contracts = Codegen.generate(contractsFile, root.resolve("java"), PACKAGE, null,
                root.resolve("python"));
            final Path classes = Files.createDirectories(root.resolve("classes"));
            final List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"), "-Xlint:all", "-Werror"));
            try (Stream<Path> files = Files.walk(root.resolve("java"))) {
                files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().forEach(arguments::add);
            }
            final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            final int status = compiler.run(null, System.out, System.err, arguments.toArray(new String[0]));
            if (status != 0) {
                throw new AssertionError("generated Java for " + resource + " does not compile (see stderr)");
            }
            final ClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                GeneratedCode.class.getClassLoader());
            return new GeneratedCode(contracts, root, loader);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    public Contracts contracts() {
        return contracts;
    }

    public MessageDef message(final String name) {
        return contracts.messages().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    /** @return the directory holding the generated {@code mycelium_protocol} package */
    public Path pythonRoot() {
        return root.resolve("python");
    }

    public Path javaRoot() {
        return root.resolve("java");
    }

    public Class<?> messageClass(final String name) {
        try {
            return Class.forName(PACKAGE + "." + name, true, loader);
        } catch (final ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    public MessageType<Object> type(final String name) {
        try {
            return (MessageType<Object>) messageClass(name).getField("TYPE").get(null);
        } catch (final ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    public Schema schema() {
        try {
            final Class<?> schema = Class.forName(PACKAGE + "." + JavaEmitter.schemaClassName(contracts), true, loader);
            return (Schema) schema.getField("INSTANCE").get(null);
        } catch (final ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Calls the public all-fields constructor; unwraps exceptions it throws. */
    public Object newMessage(final String name, final Object... values) {
        final Class<?> type = messageClass(name);
        for (final Constructor<?> constructor : type.getConstructors()) {
            if (constructor.getParameterCount() == values.length) {
                try {
                    return constructor.newInstance(values);
                } catch (final InvocationTargetException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new AssertionError(e.getCause());
                } catch (final ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no public constructor with " + values.length + " parameters in " + name);
    }

    /** Calls an accessor or other no-argument method; unwraps exceptions it throws. */
    public static Object call(final Object target, final String method) {
        try {
            return target.getClass().getMethod(method).invoke(target);
        } catch (final InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AssertionError(e.getCause());
        } catch (final ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Creates a view through the message class's static {@code newView()} factory. */
    public Object newView(final String message) {
        try {
            return messageClass(message).getMethod("newView").invoke(null);
        } catch (final ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Invokes a public method by name and argument count; unwraps runtime exceptions it throws. */
    public static Object invoke(final Object target, final String name, final Object... arguments) {
        for (final java.lang.reflect.Method method : target.getClass().getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
                try {
                    return method.invoke(target, arguments);
                } catch (final InvocationTargetException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new AssertionError(e.getCause());
                } catch (final ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no method " + name + " with " + arguments.length + " parameters in "
            + target.getClass().getSimpleName());
    }
}
