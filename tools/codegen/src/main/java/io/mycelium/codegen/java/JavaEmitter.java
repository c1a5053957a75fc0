package io.mycelium.codegen.java;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.mycelium.codegen.model.Contracts;
import io.mycelium.codegen.model.MessageDef;

/**
 * Produces the Java sources for a contracts file: one class and one zero-copy view class per message, the schema
 * class, its DS component and a package-info; output is a sorted map so writing it is deterministic. Stateless.
 */
public final class JavaEmitter {

    private static final Pattern PACKAGE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");

    private JavaEmitter() {
    }

    /**
     * @param contracts   the parsed contracts
     * @param javaPackage the target package, e.g. {@code io.mycelium.examples.protocol}
     * @param schemaClass the schema class name, or null to derive it ({@link #schemaClassName})
     * @return relative path (with {@code /}) to file content, sorted by path
     * @throws IllegalArgumentException if the package or class name is not a valid Java name or clashes
     */
    public static Map<String, String> emit(final Contracts contracts, final String javaPackage,
                                           final String schemaClass) {
        if (javaPackage == null || !PACKAGE.matcher(javaPackage).matches()) {
            throw new IllegalArgumentException("--java-package '" + javaPackage + "' is not a lower-case Java package"
                + " name such as com.example.protocol");
        }
        final String schema = schemaClass != null ? schemaClass : schemaClassName(contracts);
        if (!schema.matches("[A-Z][A-Za-z0-9]*")) {
            throw new IllegalArgumentException("schema class name '" + schema + "' is not a Java class name");
        }
        final String directory = javaPackage.replace('.', '/') + "/";
        final Map<String, String> files = new TreeMap<>();
        final JavaMessageEmitter messages = new JavaMessageEmitter(javaPackage, contracts.source());
        final JavaViewEmitter views = new JavaViewEmitter(javaPackage, contracts.source());
        for (final MessageDef message : contracts.messages()) {
            if (message.name().equals(schema) || message.name().equals(schema + "Component")) {
                throw new IllegalArgumentException(contracts.source() + ":" + message.line() + ": message "
                    + message.name() + " clashes with the generated schema class; rename it or set the schema class");
            }
            final String viewFile = directory + JavaViewEmitter.viewName(message) + ".java";
            if (contracts.messages().stream().anyMatch(m -> m.name().equals(JavaViewEmitter.viewName(message)))) {
                throw new IllegalArgumentException(contracts.source() + ":" + message.line() + ": the view class "
                    + JavaViewEmitter.viewName(message) + " of message " + message.name() + " clashes with a message"
                    + " of that name; rename one of them");
            }
            files.put(directory + message.name() + ".java", messages.emit(message));
            files.put(viewFile, views.emit(message));
        }
        final JavaSchemaEmitter schemaEmitter = new JavaSchemaEmitter(javaPackage, schema);
        files.put(directory + schema + ".java", schemaEmitter.schema(contracts));
        files.put(directory + schema + "Component.java", schemaEmitter.component(contracts));
        files.put(directory + "package-info.java", schemaEmitter.packageInfo(contracts));
        return files;
    }

    /**
     * Derives the schema class name: PascalCase of {@code schema.id} when it starts with a letter, else of the file
     * name without extension, plus {@code Schema}; {@code contracts.yaml} gives {@code ContractsSchema}.
     *
     * @param contracts the contracts
     * @return the class name
     */
    public static String schemaClassName(final Contracts contracts) {
        String base = null;
        if (contracts.schemaId() != null && !contracts.schemaId().isEmpty()
            && Character.isLetter(contracts.schemaId().charAt(0))) {
            base = JavaNames.pascal(contracts.schemaId());
        }
        if (base == null) {
            final String file = contracts.source();
            final int dot = file.lastIndexOf('.');
            base = JavaNames.pascal(dot > 0 ? file.substring(0, dot) : file);
        }
        if (base == null) {
            base = "Contracts";
        }
        return base.endsWith("Schema") ? base : base + "Schema";
    }
}
