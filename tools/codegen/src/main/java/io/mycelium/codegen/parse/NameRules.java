package io.mycelium.codegen.parse;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which message and field names generated Java and Python can use: identifiers that are no keyword in either
 * language and do not collide with generated members. Stateless.
 */
final class NameRules {

    private static final Pattern MESSAGE = Pattern.compile("[A-Z][A-Za-z0-9]*");
    private static final Pattern FIELD = Pattern.compile("[a-z][A-Za-z0-9_]*");

    private static final Set<String> KEYWORDS = Set.of(
        // Java
        "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
        "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
        "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
        "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
        "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "var",
        "record", "yield", "sealed", "permits",
        // Python
        "and", "as", "async", "await", "def", "del", "elif", "except", "from", "global", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "with", "None", "True", "False",
        // generated members
        "to_bytes", "from_bytes", "pack_into", "validate", "builder", "build", "message_type", "equals", "hash_code",
        "to_string", "get_class", "copy", "self", "cls", "notify", "wait", "clone", "finalize");

    private static final Set<String> RESERVED_TYPES = Set.of("Message", "MessageType", "Schema", "String", "Object",
        "Override", "ByteBuffer", "Arrays", "Objects", "List", "Map", "LittleEndian", "FixedString", "FixedVector",
        "FieldChecks", "ValueText", "Component", "Codec", "Builder", "Class", "Integer", "Long", "Float",
        "Double", "Short", "Byte", "Boolean", "Math", "System", "SuppressWarnings", "Export", "Version");

    private NameRules() {
    }

    /** @return null when {@code name} is usable as a message name, else the problem */
    static String messageProblem(final String name) {
        if (!MESSAGE.matcher(name).matches()) {
            return "message name '" + name + "' must start with an upper-case letter and contain only letters and"
                + " digits (it becomes a Java and Python class name)";
        }
        if (RESERVED_TYPES.contains(name)) {
            return "message name '" + name + "' clashes with a type the generated Java uses; rename the message";
        }
        return null;
    }

    /** @return null when {@code name} is usable as a field name, else the problem */
    static String fieldProblem(final String name) {
        if (!FIELD.matcher(name).matches()) {
            return "field name '" + name + "' must start with a lower-case letter and contain only letters, digits"
                + " and '_'";
        }
        if (KEYWORDS.contains(name)) {
            return "field name '" + name + "' is a Java/Python keyword or a generated member name; rename the field";
        }
        return null;
    }
}
