package io.mycelium.codegen.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mycelium.codegen.model.FieldType;
import io.mycelium.codegen.model.Scalar;

/**
 * Turns a contracts.yaml type string plus its capacity into a {@link FieldType}; whitespace inside the type is
 * ignored ({@code [u8;20]} equals {@code [u8; 20]}). Stateless.
 */
final class FieldTypeParser {

    /** Capacity of a {@code String} without {@code max_length} (original rule). */
    static final int DEFAULT_STRING_CAPACITY = 32;
    /** Capacity of a {@code Vec<u8>} without {@code max_length}. */
    static final int DEFAULT_VECTOR_CAPACITY = 16;
    /** Capacity of a {@code Vec<[u8; K]>} without {@code max_length}. */
    static final int DEFAULT_ITEMS_CAPACITY = 4;
    /** Counts are u16 on the wire. */
    static final int MAX_CAPACITY = 0xFFFF;

    static final String SUPPORTED = "u8 u16 u32 u64 i8 i16 i32 i64 f32 f64 bool U256 String Vec<u8> [T; N] "
        + "(T numeric) Vec<[u8; K]>";

    private static final Pattern ARRAY = Pattern.compile("\\[([a-z0-9]+);(-?[0-9]+)\\]");
    private static final Pattern ITEMS = Pattern.compile("Vec<\\[u8;(-?[0-9]+)\\]>");

    private FieldTypeParser() {
    }

    /**
     * @param text        the type as written
     * @param maxLength   the {@code max_length} rule, or -1
     * @param problems    where a problem is reported: receives the message, returns the exception to throw
     * @return the field type
     */
    static FieldType parse(final String text, final int maxLength, final java.util.function.Function<String,
        ContractsException> problems) {
        final String type = text.replaceAll("\\s+", "");
        final Scalar scalar = Scalar.byYamlName(type);
        if (scalar != null) {
            return new FieldType(FieldType.Kind.SCALAR, scalar, 0, 0);
        }
        switch (type) {
            case "U256":
                return new FieldType(FieldType.Kind.BYTES, null, 32, 0);
            case "String":
                return new FieldType(FieldType.Kind.STRING, null, 0,
                    capacity(maxLength, DEFAULT_STRING_CAPACITY));
            case "Vec<u8>":
                return new FieldType(FieldType.Kind.VECTOR, null, 0,
                    capacity(maxLength, DEFAULT_VECTOR_CAPACITY));
            default:
                break;
        }
        final Matcher array = ARRAY.matcher(type);
        if (array.matches()) {
            final Scalar element = Scalar.byYamlName(array.group(1));
            if (element == null || element == Scalar.BOOL) {
                throw problems.apply("unsupported array element type '" + array.group(1) + "' in '" + text
                    + "' (supported: u8 u16 u32 u64 i8 i16 i32 i64 f32 f64)");
            }
            final int length = positive(array.group(2), text, "array length", problems);
            return element == Scalar.U8
                ? new FieldType(FieldType.Kind.BYTES, null, length, 0)
                : new FieldType(FieldType.Kind.ARRAY, element, length, 0);
        }
        final Matcher items = ITEMS.matcher(type);
        if (items.matches()) {
            final int length = positive(items.group(1), text, "item size", problems);
            return new FieldType(FieldType.Kind.ITEMS, null, length, capacity(maxLength, DEFAULT_ITEMS_CAPACITY));
        }
        throw problems.apply("unknown type '" + text + "' (supported: " + SUPPORTED + ")");
    }

    private static int capacity(final int maxLength, final int fallback) {
        return maxLength >= 0 ? maxLength : fallback;
    }

    private static int positive(final String digits, final String text, final String what,
                                final java.util.function.Function<String, ContractsException> problems) {
        final long value;
        try {
            value = Long.parseLong(digits);
        } catch (final NumberFormatException e) {
            throw problems.apply(what + " in '" + text + "' is not a number");
        }
        if (value <= 0 || value > MAX_CAPACITY) {
            throw problems.apply("capacity must be > 0: " + what + " " + value + " in '" + text + "' (allowed 1.."
                + MAX_CAPACITY + ")");
        }
        return (int) value;
    }
}
