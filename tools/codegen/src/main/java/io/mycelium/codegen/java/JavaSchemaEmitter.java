package io.mycelium.codegen.java;

import java.util.ArrayList;
import java.util.List;

import io.mycelium.codegen.CodeWriter;
import io.mycelium.codegen.SourceText;
import io.mycelium.codegen.model.Contracts;
import io.mycelium.codegen.model.MessageDef;

/**
 * Writes the schema class (digest + all types), its DS component and the package-info exporting the generated
 * package; stateless.
 */
final class JavaSchemaEmitter {

    private final String javaPackage;
    private final String schemaClass;

    JavaSchemaEmitter(final String javaPackage, final String schemaClass) {
        this.javaPackage = javaPackage;
        this.schemaClass = schemaClass;
    }

    String schema(final Contracts contracts) {
        final CodeWriter out = header(contracts);
        out.line("import java.util.List;");
        out.line("");
        out.line("import io.mycelium.api.MessageType;");
        out.line("import io.mycelium.api.Schema;");
        out.line("");
        out.line("/**");
        out.line(" * The message types of {@code " + JavaText.doc(contracts.source()) + "} and its SHA-256 digest;"
            + " immutable and thread-safe.");
        out.line(" */");
        out.open("public final class " + schemaClass + " implements Schema {");
        out.line("");
        out.line("/** {@code schema.id} of the contracts file, or the file name when absent. */");
        out.line("public static final String ID = " + JavaText.literal(schemaId(contracts)) + ";");
        out.line("/** SHA-256 of the exact bytes of the contracts file, lower-case hex. */");
        out.line("public static final String DIGEST_HEX = " + JavaText.literal(contracts.digestHex()) + ";");
        out.line("");
        final byte[] digest = contracts.digest();
        final List<String> bytes = new ArrayList<>();
        for (final byte b : digest) {
            bytes.add("(byte) 0x" + String.format("%02x", b & 0xFF));
        }
        out.open("private static final byte[] DIGEST = {");
        for (int i = 0; i < bytes.size(); i += 8) {
            out.line(String.join(", ", bytes.subList(i, Math.min(i + 8, bytes.size()))) + ",");
        }
        out.close("};");
        out.line("");
        final List<String> types = new ArrayList<>();
        contracts.messages().forEach(m -> types.add(m.name() + ".TYPE"));
        out.line("private static final List<MessageType<?>> TYPES = List.<MessageType<?>>of(" + String.join(", ", types)
            + ");");
        out.line("");
        out.line("/** The one instance. */");
        out.line("public static final " + schemaClass + " INSTANCE = new " + schemaClass + "();");
        out.line("");
        out.open("private " + schemaClass + "() {");
        out.close("}");
        out.line("");
        out.line("/** @return a fresh copy of the 32 digest bytes */");
        out.open("public static byte[] digestBytes() {");
        out.line("return DIGEST.clone();");
        out.close("}");
        method(out, "String", "id()", "ID");
        method(out, "byte[]", "digest()", "DIGEST.clone()");
        method(out, "String", "digestHex()", "DIGEST_HEX");
        method(out, "List<MessageType<?>>", "types()", "TYPES");
        out.line("");
        out.line("@Override");
        out.open("public MessageType<?> type(final int typeId) {");
        out.open("switch (typeId) {");
        for (final MessageDef message : contracts.messages()) {
            out.line("case " + message.typeId() + ":");
            out.line("    return " + message.name() + ".TYPE;");
        }
        out.line("default:");
        out.line("    return null;");
        out.close("}");
        out.close("}");
        out.line("");
        out.line("@Override");
        out.open("public String toString() {");
        out.line("return \"" + schemaClass + "{id=\" + ID + \", digest=\" + DIGEST_HEX + \", types=\" + TYPES.size()"
            + " + \"}\";");
        out.close("}");
        out.close("}");
        return out.toString();
    }

    String component(final Contracts contracts) {
        final String name = schemaClass + "Component";
        final CodeWriter out = header(contracts);
        out.line("import java.util.List;");
        out.line("");
        out.line("import org.osgi.service.component.annotations.Component;");
        out.line("");
        out.line("import io.mycelium.api.MessageType;");
        out.line("import io.mycelium.api.Schema;");
        out.line("");
        out.line("/**");
        out.line(" * Registers {@link " + schemaClass + "} as the bundle's {@link Schema} service with property"
            + " {@code mycelium.schema.digest}; delegates every call.");
        out.line(" */");
        out.line("@Component(service = Schema.class, property = Schema.DIGEST_PROPERTY + \"=\" + " + schemaClass
            + ".DIGEST_HEX)");
        out.open("public final class " + name + " implements Schema {");
        method(out, "String", "id()", schemaClass + ".INSTANCE.id()");
        method(out, "byte[]", "digest()", schemaClass + ".INSTANCE.digest()");
        method(out, "String", "digestHex()", schemaClass + ".INSTANCE.digestHex()");
        method(out, "List<MessageType<?>>", "types()", schemaClass + ".INSTANCE.types()");
        method(out, "MessageType<?>", "type(final int typeId)", schemaClass + ".INSTANCE.type(typeId)");
        method(out, "String", "toString()", schemaClass + ".INSTANCE.toString()");
        out.close("}");
        return out.toString();
    }

    String packageInfo(final Contracts contracts) {
        final CodeWriter out = new CodeWriter("    ");
        out.line("// " + SourceText.generatedFrom(contracts.source()));
        out.line("/**");
        out.line(" * Message classes generated from {@code " + JavaText.doc(contracts.source()) + "} (schema digest "
            + contracts.digestHex() + ").");
        out.line(" */");
        out.line("@Export");
        out.line("@Version(\"" + contracts.version() + ".0.0\")");
        out.line("package " + javaPackage + ";");
        out.line("");
        out.line("import org.osgi.annotation.bundle.Export;");
        out.line("import org.osgi.annotation.versioning.Version;");
        return out.toString();
    }

    private CodeWriter header(final Contracts contracts) {
        return JavaText.file(contracts.source(), javaPackage);
    }

    private static void method(final CodeWriter out, final String type, final String signature, final String value) {
        out.line("");
        out.line("@Override");
        out.open("public " + type + " " + signature + " {");
        out.line("return " + value + ";");
        out.close("}");
    }

    static String schemaId(final Contracts contracts) {
        return contracts.schemaId() != null ? contracts.schemaId() : contracts.source();
    }
}
