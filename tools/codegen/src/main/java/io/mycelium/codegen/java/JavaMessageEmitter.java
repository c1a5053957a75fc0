package io.mycelium.codegen.java;

import java.util.ArrayList;
import java.util.List;

import io.mycelium.codegen.CodeWriter;
import io.mycelium.codegen.model.MessageDef;
import io.mycelium.codegen.model.Padding;

/** Writes the Java source of one message class with its nested {@code MessageType} codec; stateless. */
final class JavaMessageEmitter {

    /** Static no-argument methods of every message class; an accessor of the same name would not compile. */
    private static final List<String> STATIC_METHODS = List.of("builder", "newView");

    private final String javaPackage;
    private final String source;

    JavaMessageEmitter(final String javaPackage, final String source) {
        this.javaPackage = javaPackage;
        this.source = source;
    }

    String emit(final MessageDef message) {
        final List<JavaFieldCode> fields = new ArrayList<>();
        message.fields().forEach(f -> fields.add(new JavaFieldCode(message.name(), f)));
        final String name = message.name();
        for (final JavaFieldCode field : fields) {
            if (STATIC_METHODS.contains(field.name())) {
                throw new IllegalArgumentException(source + ":" + field.field().line() + ": " + name + "."
                    + field.field().name() + ": accessor " + field.name() + "() clashes with the static method of"
                    + " that name in " + name + "; rename the field");
            }
        }
        final CodeWriter out = JavaText.file(source, javaPackage);
        out.line("import java.nio.ByteBuffer;");
        out.line("import java.util.Arrays;");
        out.line("import java.util.Objects;");
        out.line("");
        out.line("import io.mycelium.api.Message;");
        out.line("import io.mycelium.api.MessageType;");
        out.line("import io.mycelium.protocol.layout.FieldChecks;");
        out.line("import io.mycelium.protocol.layout.FixedString;");
        out.line("import io.mycelium.protocol.layout.FixedVector;");
        out.line("import io.mycelium.protocol.layout.LittleEndian;");
        out.line("import io.mycelium.protocol.layout.ValueText;");
        out.line("");
        out.line("/**");
        out.line(" * " + (message.description().isEmpty() ? name : JavaText.doc(message.description())));
        out.line(" *");
        out.line(" * <p>Type id " + message.typeId() + ", topic {@code " + JavaText.doc(message.topic()) + "}, "
            + message.size() + "-byte C layout. Immutable; array arguments and results are copies.");
        out.line(" */");
        out.line("@SuppressWarnings({\"unused\", \"PointlessArithmeticExpression\"})");
        out.open("public final class " + name + " implements Message {");
        out.line("");
        out.line("/** The {@code tlv_type}. */");
        out.line("public static final int TYPE_ID = " + message.typeId() + ";");
        out.line("/** The topic derived from domain {@code " + JavaText.doc(message.domain()) + "}. */");
        out.line("public static final String TOPIC = " + JavaText.literal(message.topic()) + ";");
        out.line("/** The payload size in bytes, padding included. */");
        out.line("public static final int SIZE = " + message.size() + ";");
        out.line("/** The wire descriptor; stateless and thread-safe. */");
        out.line("public static final MessageType<" + name + "> TYPE = new Codec();");
        out.line("");
        for (final JavaFieldCode field : fields) {
            out.line("private final " + field.javaType() + " " + field.name() + ";");
        }
        constructors(out, name, fields);
        accessors(out, name, fields);
        validate(out, fields);
        objectMethods(out, name, fields);
        builder(out, name, fields);
        codec(out, message, fields);
        out.close("}");
        return out.toString();
    }

    private static String parameters(final List<JavaFieldCode> fields) {
        final List<String> parameters = new ArrayList<>();
        fields.forEach(f -> parameters.add("final " + f.javaType() + " " + f.name()));
        return String.join(", ", parameters);
    }

    private static String names(final List<JavaFieldCode> fields) {
        final List<String> names = new ArrayList<>();
        fields.forEach(f -> names.add(f.name()));
        return String.join(", ", names);
    }

    private static void constructors(final CodeWriter out, final String name, final List<JavaFieldCode> fields) {
        out.line("");
        out.line("/**");
        out.line(" * Creates a message; arrays are copied.");
        out.line(" *");
        for (final JavaFieldCode field : fields) {
            out.line(" * @param " + field.name() + " " + field.doc());
        }
        out.line(" * @throws IllegalArgumentException if an unsigned value is out of range, a fixed array has the"
            + " wrong length or a vector exceeds its capacity");
        out.line(" * @throws NullPointerException if an object argument is null");
        out.line(" */");
        out.open("public " + name + "(" + parameters(fields) + ") {");
        out.line("this(true" + (fields.isEmpty() ? "" : ", " + names(fields)) + ");");
        out.close("}");
        out.line("");
        out.line("/** {@code copy == false}: the decoder hands over arrays it just created. */");
        out.open("private " + name + "(final boolean copy" + (fields.isEmpty() ? "" : ", " + parameters(fields))
            + ") {");
        for (final JavaFieldCode field : fields) {
            out.line("this." + field.name() + " = " + field.checked() + ";");
        }
        out.close("}");
    }

    private static void accessors(final CodeWriter out, final String name, final List<JavaFieldCode> fields) {
        for (final JavaFieldCode field : fields) {
            out.line("");
            out.line("/** @return " + field.doc() + (field.isArray() ? "; a copy" : "") + " */");
            out.open("public " + field.javaType() + " " + field.name() + "() {");
            out.line("return " + field.accessor() + ";");
            out.close("}");
        }
        out.line("");
        out.line("/** @return a builder with every field set to zero or empty */");
        out.open("public static Builder builder() {");
        out.line("return new Builder();");
        out.close("}");
        out.line("");
        out.line("/**");
        out.line(" * Creates a reusable zero-copy reader of {@code " + name + "} payloads, for consumers that must not"
            + " allocate.");
        out.line(" *");
        out.line(" * @return a new unwrapped view; keep it per thread and {@code wrap} it on each payload");
        out.line(" */");
        out.open("public static " + name + "View newView() {");
        out.line("return new " + name + "View();");
        out.close("}");
        out.line("");
        out.line("@Override");
        out.open("public MessageType<" + name + "> messageType() {");
        out.line("return TYPE;");
        out.close("}");
    }

    private static void validate(final CodeWriter out, final List<JavaFieldCode> fields) {
        out.line("");
        out.line("/**");
        out.line(" * Checks the {@code validation} rules of contracts.yaml (not_empty, min_length, max_length); never"
            + " called implicitly.");
        out.line(" *");
        out.line(" * @throws IllegalArgumentException naming {@code Message.field} and the rule that failed");
        out.line(" */");
        out.open("public void validate() {");
        for (final JavaFieldCode field : fields) {
            for (final String line : field.validation()) {
                out.line(line);
            }
        }
        out.close("}");
    }

    private static void objectMethods(final CodeWriter out, final String name, final List<JavaFieldCode> fields) {
        out.line("");
        out.line("@Override");
        out.open("public boolean equals(final Object other) {");
        out.open("if (this == other) {");
        out.line("return true;");
        out.close("}");
        out.open("if (!(other instanceof " + name + ")) {");
        out.line("return false;");
        out.close("}");
        if (fields.isEmpty()) {
            out.line("return true;");
        } else {
            out.line("final " + name + " that = (" + name + ") other;");
            final List<String> terms = new ArrayList<>();
            fields.forEach(f -> terms.add(f.equalsTerm("that")));
            out.line("return " + String.join("\n" + " ".repeat(12) + "&& ", terms) + ";");
        }
        out.close("}");
        out.line("");
        out.line("@Override");
        out.open("public int hashCode() {");
        out.line("int hash = TYPE_ID;");
        for (final JavaFieldCode field : fields) {
            out.line("hash = 31 * hash + " + field.hashTerm() + ";");
        }
        out.line("return hash;");
        out.close("}");
        out.line("");
        out.line("@Override");
        out.open("public String toString() {");
        final List<String> terms = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            final JavaFieldCode field = fields.get(i);
            terms.add("\"" + (i == 0 ? "" : ", ") + field.field().name() + "=\" + " + field.textTerm());
        }
        out.line("return \"" + name + "{\"" + (terms.isEmpty() ? "" : "\n" + " ".repeat(12) + "+ "
            + String.join("\n" + " ".repeat(12) + "+ ", terms)) + " + \"}\";");
        out.close("}");
    }

    private static void builder(final CodeWriter out, final String name, final List<JavaFieldCode> fields) {
        out.line("");
        out.line("/** Collects field values for a {@link " + name + "}; not thread-safe, reusable. */");
        out.open("public static final class Builder {");
        for (final JavaFieldCode field : fields) {
            out.line("private " + field.javaType() + " " + field.name() + " = " + field.defaultValue() + ";");
        }
        out.line("");
        out.open("private Builder() {");
        out.close("}");
        for (final JavaFieldCode field : fields) {
            out.line("");
            out.line("/**");
            out.line(" * @param value " + field.doc());
            out.line(" * @return this builder");
            out.line(" */");
            out.open("public Builder " + field.name() + "(final " + field.javaType() + " value) {");
            out.line("this." + field.name() + " = value;");
            out.line("return this;");
            out.close("}");
        }
        out.line("");
        out.line("/** @return a new message; see the {@link " + name + "} constructor for the checks */");
        out.open("public " + name + " build() {");
        out.line("return new " + name + "(" + names(fields) + ");");
        out.close("}");
        out.close("}");
    }

    private static void codec(final CodeWriter out, final MessageDef message, final List<JavaFieldCode> fields) {
        final String name = message.name();
        out.line("");
        out.line("/** Encodes and decodes {@link " + name + "} in its C layout; stateless. */");
        out.open("private static final class Codec implements MessageType<" + name + "> {");
        simple(out, "int", "typeId", "TYPE_ID");
        simple(out, "String", "name", JavaText.literal(name));
        simple(out, "String", "topic", "TOPIC");
        simple(out, "int", "size", "SIZE");
        simple(out, "Class<" + name + ">", "javaType", name + ".class");
        out.line("");
        out.line("@Override");
        out.open("public void encode(final " + name + " message, final ByteBuffer buffer, final int offset) {");
        out.line("Objects.checkFromIndexSize(offset, SIZE, buffer.limit());");
        int next = 0;
        for (final JavaFieldCode field : fields) {
            for (final Padding padding : message.paddings()) {
                if (padding.offset() == next) {
                    out.line("LittleEndian.zero(buffer, offset + " + padding.offset() + ", " + padding.length() + ");");
                }
            }
            out.line(field.encode("message"));
            next = field.field().offset() + field.field().type().size();
        }
        for (final Padding padding : message.paddings()) {
            if (padding.offset() == next) {
                out.line("LittleEndian.zero(buffer, offset + " + padding.offset() + ", " + padding.length() + ");");
            }
        }
        out.close("}");
        out.line("");
        out.line("@Override");
        out.open("public " + name + " decode(final ByteBuffer buffer, final int offset) {");
        out.line("Objects.checkFromIndexSize(offset, SIZE, buffer.limit());");
        if (fields.isEmpty()) {
            out.line("return new " + name + "(false);");
        } else {
            out.line("return new " + name + "(false,");
            for (int i = 0; i < fields.size(); i++) {
                out.line("        " + fields.get(i).decode() + (i + 1 < fields.size() ? "," : ");"));
            }
        }
        out.close("}");
        out.close("}");
    }

    private static void simple(final CodeWriter out, final String type, final String method, final String value) {
        out.line("");
        out.line("@Override");
        out.open("public " + type + " " + method + "() {");
        out.line("return " + value + ";");
        out.close("}");
    }
}
