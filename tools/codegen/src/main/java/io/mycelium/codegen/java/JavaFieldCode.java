package io.mycelium.codegen.java;

import io.mycelium.codegen.model.FieldDef;
import io.mycelium.codegen.model.FieldType;
import io.mycelium.codegen.model.Scalar;

/**
 * The Java snippets for one field: its type, default, argument check, encode statement, decode expression and the
 * pieces of equals/hashCode/toString. Immutable.
 */
final class JavaFieldCode {

    private final FieldDef field;
    private final FieldType type;
    private final String name;
    private final String where;

    JavaFieldCode(final String message, final FieldDef field) {
        this.field = field;
        this.type = field.type();
        this.name = JavaNames.camel(field.name());
        this.where = JavaText.literal(message + "." + field.name());
    }

    String name() {
        return name;
    }

    /** @return the Java string literal {@code "Message.field"} that runtime errors name */
    String where() {
        return where;
    }

    FieldDef field() {
        return field;
    }

    String javaType() {
        return switch (type.kind()) {
            case SCALAR -> type.scalar().javaType();
            case BYTES, VECTOR -> "byte[]";
            case ARRAY -> type.scalar().javaElementType() + "[]";
            case STRING -> "String";
            case ITEMS -> "byte[][]";
        };
    }

    boolean isArray() {
        return type.kind() == FieldType.Kind.BYTES || type.kind() == FieldType.Kind.VECTOR
            || type.kind() == FieldType.Kind.ARRAY || type.kind() == FieldType.Kind.ITEMS;
    }

    String defaultValue() {
        return switch (type.kind()) {
            case SCALAR -> switch (type.scalar()) {
                case U32, U64, I64 -> "0L";
                case I8 -> "(byte) 0";
                case I16 -> "(short) 0";
                case F32 -> "0f";
                case F64 -> "0d";
                case BOOL -> "false";
                default -> "0";
            };
            case BYTES -> "new byte[" + type.length() + "]";
            case ARRAY -> "new " + type.scalar().javaElementType() + "[" + type.length() + "]";
            case STRING -> "\"\"";
            case VECTOR -> "new byte[0]";
            case ITEMS -> "new byte[0][]";
        };
    }

    /** @return the expression stored in the field, given constructor parameter {@code name} and flag {@code copy} */
    String checked() {
        return switch (type.kind()) {
            case SCALAR -> switch (type.scalar()) {
                case U8 -> "FieldChecks.u8(" + name + ", " + where + ")";
                case U16 -> "FieldChecks.u16(" + name + ", " + where + ")";
                case U32 -> "FieldChecks.u32(" + name + ", " + where + ")";
                default -> name;
            };
            case BYTES, ARRAY -> "copy ? FieldChecks.copyExact(" + name + ", " + type.length() + ", " + where + ") : "
                + name;
            case STRING -> "FieldChecks.nonNull(" + name + ", " + where + ")";
            case VECTOR -> "copy ? FieldChecks.copyVector(" + name + ", " + type.capacity() + ", " + where + ") : "
                + name;
            case ITEMS -> "copy ? FieldChecks.copyItems(" + name + ", " + type.length() + ", " + type.capacity() + ", "
                + where + ") : " + name;
        };
    }

    String accessor() {
        return switch (type.kind()) {
            case BYTES, ARRAY, VECTOR -> name + ".clone()";
            case ITEMS -> "FieldChecks.copyItems(" + name + ")";
            default -> name;
        };
    }

    String encode(final String message) {
        final String at = "offset + " + field.offset();
        final String value = message + "." + name;
        return switch (type.kind()) {
            case SCALAR -> switch (type.scalar()) {
                case U8 -> "buffer.put(" + at + ", (byte) " + value + ");";
                case I8 -> "buffer.put(" + at + ", " + value + ");";
                case BOOL -> "buffer.put(" + at + ", (byte) (" + value + " ? 1 : 0));";
                case U16 -> "LittleEndian.I16.set(buffer, " + at + ", (short) " + value + ");";
                case I16 -> "LittleEndian.I16.set(buffer, " + at + ", " + value + ");";
                case U32 -> "LittleEndian.I32.set(buffer, " + at + ", (int) " + value + ");";
                case I32 -> "LittleEndian.I32.set(buffer, " + at + ", " + value + ");";
                case U64, I64 -> "LittleEndian.I64.set(buffer, " + at + ", " + value + ");";
                case F32 -> "LittleEndian.F32.set(buffer, " + at + ", " + value + ");";
                case F64 -> "LittleEndian.F64.set(buffer, " + at + ", " + value + ");";
            };
            case BYTES -> "buffer.put(" + at + ", " + value + ");";
            case ARRAY -> type.scalar() == Scalar.I8
                ? "buffer.put(" + at + ", " + value + ");"
                : "LittleEndian.put" + arraySuffix() + "(buffer, " + at + ", " + value + ");";
            case STRING -> "FixedString.put(buffer, " + at + ", " + value + ", " + type.capacity() + ", " + where
                + ");";
            case VECTOR -> "FixedVector.putBytes(buffer, " + at + ", " + value + ", " + type.capacity() + ", " + where
                + ");";
            case ITEMS -> "FixedVector.putItems(buffer, " + at + ", " + value + ", " + type.length() + ", "
                + type.capacity() + ", " + where + ");";
        };
    }

    String decode() {
        final String at = "offset + " + field.offset();
        return switch (type.kind()) {
            case SCALAR -> switch (type.scalar()) {
                case U8 -> "buffer.get(" + at + ") & 0xFF";
                case I8 -> "buffer.get(" + at + ")";
                case BOOL -> "buffer.get(" + at + ") != 0";
                case U16 -> "Short.toUnsignedInt((short) LittleEndian.I16.get(buffer, " + at + "))";
                case I16 -> "(short) LittleEndian.I16.get(buffer, " + at + ")";
                case U32 -> "Integer.toUnsignedLong((int) LittleEndian.I32.get(buffer, " + at + "))";
                case I32 -> "(int) LittleEndian.I32.get(buffer, " + at + ")";
                case U64, I64 -> "(long) LittleEndian.I64.get(buffer, " + at + ")";
                case F32 -> "(float) LittleEndian.F32.get(buffer, " + at + ")";
                case F64 -> "(double) LittleEndian.F64.get(buffer, " + at + ")";
            };
            case BYTES -> "LittleEndian.getBytes(buffer, " + at + ", " + type.length() + ")";
            case ARRAY -> "LittleEndian.get" + (type.scalar() == Scalar.I8 ? "Bytes" : arraySuffix()) + "(buffer, "
                + at + ", " + type.length() + ")";
            case STRING -> "FixedString.get(buffer, " + at + ", " + type.capacity() + ", " + where + ")";
            case VECTOR -> "FixedVector.getBytes(buffer, " + at + ", " + type.capacity() + ", " + where + ")";
            case ITEMS -> "FixedVector.getItems(buffer, " + at + ", " + type.length() + ", " + type.capacity() + ", "
                + where + ")";
        };
    }

    private String arraySuffix() {
        return switch (type.scalar().javaElementType()) {
            case "short" -> "Shorts";
            case "int" -> "Ints";
            case "long" -> "Longs";
            case "float" -> "Floats";
            case "double" -> "Doubles";
            default -> "Bytes";
        };
    }

    String equalsTerm(final String other) {
        return switch (type.kind()) {
            case SCALAR -> switch (type.scalar()) {
                case F32 -> "Float.compare(this." + name + ", " + other + "." + name + ") == 0";
                case F64 -> "Double.compare(this." + name + ", " + other + "." + name + ") == 0";
                default -> "this." + name + " == " + other + "." + name;
            };
            case STRING -> "this." + name + ".equals(" + other + "." + name + ")";
            case ITEMS -> "Arrays.deepEquals(this." + name + ", " + other + "." + name + ")";
            default -> "Arrays.equals(this." + name + ", " + other + "." + name + ")";
        };
    }

    String hashTerm() {
        return switch (type.kind()) {
            case SCALAR -> switch (type.scalar()) {
                case F32 -> "Float.hashCode(this." + name + ")";
                case F64 -> "Double.hashCode(this." + name + ")";
                case U32, U64, I64 -> "Long.hashCode(this." + name + ")";
                case BOOL -> "Boolean.hashCode(this." + name + ")";
                default -> "this." + name;
            };
            case STRING -> "this." + name + ".hashCode()";
            case ITEMS -> "Arrays.deepHashCode(this." + name + ")";
            default -> "Arrays.hashCode(this." + name + ")";
        };
    }

    String textTerm() {
        return switch (type.kind()) {
            case SCALAR -> type.scalar() == Scalar.U64 ? "Long.toUnsignedString(this." + name + ")" : "this." + name;
            case BYTES, VECTOR -> "ValueText.hex(this." + name + ")";
            case ITEMS -> "ValueText.hex(this." + name + ")";
            case ARRAY -> "Arrays.toString(this." + name + ")";
            case STRING -> "ValueText.quote(this." + name + ")";
        };
    }

    /** @return the statements checking the validation rules in {@code validate()}, or none */
    String[] validation() {
        if (!field.validation().any()) {
            return new String[0];
        }
        final String count = type.kind() == FieldType.Kind.STRING
            ? "FixedString.utf8Length(this." + name + ", " + where + ")"
            : "this." + name + ".length";
        final java.util.List<String> lines = new java.util.ArrayList<>();
        final String local = name + "Length";
        lines.add("final int " + local + " = " + count + ";");
        if (field.validation().notEmpty()) {
            lines.add("FieldChecks.notEmpty(" + local + ", " + where + ");");
        }
        if (field.validation().minLength() >= 0) {
            lines.add("FieldChecks.minLength(" + local + ", " + field.validation().minLength() + ", " + where + ");");
        }
        if (field.validation().maxLength() >= 0) {
            lines.add("FieldChecks.maxLength(" + local + ", " + field.validation().maxLength() + ", " + where + ");");
        }
        return lines.toArray(new String[0]);
    }

    String doc() {
        final String text = field.description().isEmpty() ? field.name() : JavaText.doc(field.description());
        return text + " ({@code " + field.name() + ": " + JavaText.doc(type.canonical()) + "} at offset "
            + field.offset() + ")";
    }
}
