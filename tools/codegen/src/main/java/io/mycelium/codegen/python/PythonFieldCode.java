package io.mycelium.codegen.python;

import java.util.List;

import io.mycelium.codegen.model.FieldDef;
import io.mycelium.codegen.model.FieldType;

/**
 * The Python snippets for one field: its struct format, pack arguments, decode expression, default, annotation
 * and equality key. Immutable.
 */
final class PythonFieldCode {

    private final FieldDef field;
    private final FieldType type;
    private final String where;

    PythonFieldCode(final String message, final FieldDef field) {
        this.field = field;
        this.type = field.type();
        this.where = PythonText.literal(message + "." + field.name());
    }

    String name() {
        return field.name();
    }

    /** @return the struct format of this field, including the even-size pad of fixed vectors */
    String format() {
        return switch (type.kind()) {
            case SCALAR -> type.scalar().structCode();
            case BYTES -> type.length() + "s";
            case ARRAY -> type.length() * type.scalar().size() + "s";
            case STRING, VECTOR -> vector(type.capacity());
            case ITEMS -> vector(type.capacity() * type.length());
        };
    }

    private static String vector(final int dataBytes) {
        return "H6x" + dataBytes + "s" + (dataBytes % 2 == 1 ? "x" : "");
    }

    /** @return whether the unpacked value is the field value as is (scalars and fixed bytes) */
    boolean direct() {
        return type.kind() == FieldType.Kind.SCALAR || type.kind() == FieldType.Kind.BYTES;
    }

    /** @return how many values {@code struct.unpack} yields for this field */
    int valueCount() {
        return switch (type.kind()) {
            case SCALAR, BYTES, ARRAY -> 1;
            case STRING, VECTOR, ITEMS -> 2;
        };
    }

    String packArgument() {
        final String value = "self." + field.name();
        return switch (type.kind()) {
            case SCALAR -> value;
            case BYTES -> "_c.enc_fixed(" + value + ", " + type.length() + ", " + where + ")";
            case ARRAY -> "_c.enc_array(" + value + ", " + arrayPacker() + ", \"" + type.scalar().arrayTypeCode()
                + "\", " + type.length() + ", " + where + ")";
            case STRING -> "*_c.enc_str(" + value + ", " + type.capacity() + ", " + where + ")";
            case VECTOR -> "*_c.enc_vec(" + value + ", " + type.capacity() + ", " + where + ")";
            case ITEMS -> "*_c.enc_items(" + value + ", " + type.length() + ", " + type.capacity() + ", " + where + ")";
        };
    }

    /** @return the module-level struct.Struct constant that packs this array field, or null if not an array */
    String arrayPacker() {
        return type.kind() == FieldType.Kind.ARRAY
            ? "_" + type.scalar().yamlName().toUpperCase(java.util.Locale.ROOT) + "X" + type.length() : null;
    }

    /** @return the format of {@link #arrayPacker()} */
    String arrayPackerFormat() {
        return "<" + type.length() + type.scalar().structCode();
    }

    /** @param index the position of this field's first value in the unpacked tuple {@code v} */
    String decode(final int index) {
        return switch (type.kind()) {
            case SCALAR, BYTES -> "v[" + index + "]";
            case ARRAY -> "_c.dec_array(\"" + type.scalar().arrayTypeCode() + "\", v[" + index + "])";
            case STRING -> "_c.dec_str(v[" + index + "], v[" + (index + 1) + "], " + type.capacity() + ", " + where
                + ")";
            case VECTOR -> "_c.dec_vec(v[" + index + "], v[" + (index + 1) + "], " + type.capacity() + ", " + where
                + ")";
            case ITEMS -> "_c.dec_items(v[" + index + "], v[" + (index + 1) + "], " + type.length() + ", "
                + type.capacity() + ", " + where + ")";
        };
    }

    String annotation() {
        return switch (type.kind()) {
            case SCALAR -> switch (type.scalar()) {
                case F32, F64 -> "float";
                case BOOL -> "bool";
                default -> "int";
            };
            case BYTES, VECTOR -> "bytes";
            case ARRAY -> type.scalar().floating() ? "Sequence[float]" : "Sequence[int]";
            case STRING -> "str";
            case ITEMS -> "Sequence[bytes]";
        };
    }

    String defaultValue() {
        return switch (type.kind()) {
            case SCALAR -> switch (type.scalar()) {
                case F32, F64 -> "0.0";
                case BOOL -> "False";
                default -> "0";
            };
            case BYTES -> "bytes(" + type.length() + ")";
            case ARRAY -> "(" + (type.scalar().floating() ? "0.0" : "0") + ",) * " + type.length();
            case STRING -> "\"\"";
            case VECTOR -> "b\"\"";
            case ITEMS -> "()";
        };
    }

    String key() {
        final String value = "self." + field.name();
        return switch (type.kind()) {
            case ARRAY -> "tuple(" + value + ")";
            case BYTES, VECTOR -> "bytes(" + value + ")";
            case ITEMS -> "tuple(bytes(item) for item in " + value + ")";
            default -> value;
        };
    }

    /** @return the diagnose spec entry, or null for fields checked by their encoder helper */
    String spec() {
        return switch (type.kind()) {
            case SCALAR -> type.scalar().structCode().equals("?") ? null
                : "(\"" + field.name() + "\", \"" + type.scalar().structCode() + "\")";
            default -> null;
        };
    }

    void validation(final List<String> lines) {
        if (!field.validation().any()) {
            return;
        }
        final String value = "self." + field.name();
        final String count = type.kind() == FieldType.Kind.STRING
            ? "len(" + value + ".encode(\"utf-8\"))" : "len(" + value + ")";
        final String where = field.name();
        lines.add("n = " + count);
        if (field.validation().notEmpty()) {
            lines.add("if n == 0:");
            lines.add("    raise ValueError(f\"{cls}." + where + " must not be empty\")");
        }
        if (field.validation().minLength() >= 0) {
            lines.add("if n < " + field.validation().minLength() + ":");
            lines.add("    raise ValueError(f\"{cls}." + where + ": length {n} below minimum "
                + field.validation().minLength() + "\")");
        }
        if (field.validation().maxLength() >= 0) {
            lines.add("if n > " + field.validation().maxLength() + ":");
            lines.add("    raise ValueError(f\"{cls}." + where + ": length {n} exceeds maximum "
                + field.validation().maxLength() + "\")");
        }
    }

    String doc() {
        return field.name() + " (" + type.canonical() + ", offset " + field.offset() + ")"
            + (field.description().isEmpty() ? "" : ": " + PythonText.doc(field.description()));
    }
}
