package io.mycelium.codegen.xlang;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import io.mycelium.codegen.GeneratedCode;
import io.mycelium.codegen.java.JavaNames;
import io.mycelium.codegen.model.FieldDef;
import io.mycelium.codegen.model.FieldType;
import io.mycelium.codegen.model.MessageDef;
import io.mycelium.codegen.model.Scalar;

/**
 * Converts field values between Java objects and the canonical text shared with {@code xlang_driver.py}
 * (integers in decimal, floats as little-endian bit hex, strings and bytes as hex, lists joined by commas), and
 * generates random Java values per field type with jqwik.
 */
final class FieldValues {

    private static final HexFormat HEX = HexFormat.of();

    private FieldValues() {
    }

    // ---- canonical text of a Java value ------------------------------------------------------------------------

    static String canon(final FieldType type, final Object value) {
        return switch (type.kind()) {
            case SCALAR -> scalar(type.scalar(), value);
            case BYTES, VECTOR -> HEX.formatHex((byte[]) value);
            case STRING -> HEX.formatHex(((String) value).getBytes(StandardCharsets.UTF_8));
            case ITEMS -> {
                final List<String> items = new ArrayList<>();
                for (final byte[] item : (byte[][]) value) {
                    items.add(HEX.formatHex(item));
                }
                yield String.join(",", items);
            }
            case ARRAY -> {
                final List<String> elements = new ArrayList<>();
                final int length = java.lang.reflect.Array.getLength(value);
                for (int i = 0; i < length; i++) {
                    elements.add(scalar(type.scalar(), java.lang.reflect.Array.get(value, i)));
                }
                yield String.join(",", elements);
            }
        };
    }

    private static String scalar(final Scalar scalar, final Object value) {
        return switch (scalar) {
            case U8 -> Integer.toString(value instanceof Byte b ? Byte.toUnsignedInt(b) : (Integer) value);
            case U16 -> Integer.toString(value instanceof Short s ? Short.toUnsignedInt(s) : (Integer) value);
            case U32 -> Long.toString(value instanceof Integer i ? Integer.toUnsignedLong(i) : (Long) value);
            case U64 -> Long.toUnsignedString((Long) value);
            case I8, I16, I32, I64 -> value.toString();
            case F32 -> HEX.formatHex(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(Float.floatToRawIntBits((Float) value)).array());
            case F64 -> HEX.formatHex(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(Double.doubleToRawLongBits((Double) value)).array());
            case BOOL -> (Boolean) value ? "1" : "0";
        };
    }

    /** @return the canonical texts of every field of a generated message, read through its accessors */
    static List<String> canon(final MessageDef message, final Object value) {
        final List<String> texts = new ArrayList<>();
        for (final FieldDef field : message.fields()) {
            texts.add(canon(field.type(), GeneratedCode.call(value, JavaNames.camel(field.name()))));
        }
        return texts;
    }

    // ---- random Java values ------------------------------------------------------------------------------------

    /** @return arbitrary constructor argument lists (in field order) for {@code message} */
    static Arbitrary<List<Object>> arguments(final MessageDef message) {
        final List<Arbitrary<Object>> fields = new ArrayList<>();
        for (final FieldDef field : message.fields()) {
            fields.add(arbitrary(field.type()));
        }
        if (fields.isEmpty()) {
            return Arbitraries.just(List.of());
        }
        return Combinators.combine(fields).as(values -> values);
    }

    @SuppressWarnings("unchecked")
    static Arbitrary<Object> arbitrary(final FieldType type) {
        return (Arbitrary<Object>) switch (type.kind()) {
            case SCALAR -> scalar(type.scalar());
            case BYTES -> bytes(type.length(), type.length());
            case VECTOR -> bytes(0, type.capacity());
            case STRING -> string(type.capacity());
            case ITEMS -> bytes(type.length(), type.length()).list().ofMaxSize(type.capacity())
                .map(items -> items.toArray(new byte[0][]));
            case ARRAY -> scalar(type.scalar()).list().ofSize(type.length())
                .map(values -> toPrimitiveArray(type.scalar(), values));
        };
    }

    private static Arbitrary<?> scalar(final Scalar scalar) {
        return switch (scalar) {
            case U8 -> Arbitraries.integers().between(0, 0xFF);
            case U16 -> Arbitraries.integers().between(0, 0xFFFF);
            case U32 -> Arbitraries.longs().between(0, 0xFFFF_FFFFL);
            case U64, I64 -> Arbitraries.longs();
            case I8 -> Arbitraries.bytes();
            case I16 -> Arbitraries.shorts();
            case I32 -> Arbitraries.integers();
            case F32 -> Arbitraries.oneOf(Arbitraries.integers().map(Float::intBitsToFloat),
                    Arbitraries.floats().between(-1e6f, 1e6f),
                    Arbitraries.of(0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
                        Float.NEGATIVE_INFINITY))
                .filter(f -> !Float.isNaN(f));
            case F64 -> Arbitraries.oneOf(Arbitraries.longs().map(Double::longBitsToDouble),
                    Arbitraries.doubles().between(-1e9, 1e9),
                    Arbitraries.of(0d, -0d, Double.MIN_VALUE, Double.MAX_VALUE, Double.NEGATIVE_INFINITY))
                .filter(d -> !Double.isNaN(d));
            case BOOL -> Arbitraries.of(true, false);
        };
    }

    private static Arbitrary<byte[]> bytes(final int min, final int max) {
        return Arbitraries.bytes().list().ofMinSize(min).ofMaxSize(max).map(values -> {
            final byte[] bytes = new byte[values.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = values.get(i);
            }
            return bytes;
        });
    }

    /** Strings of any code point (surrogates excluded), cut to at most {@code capacity} UTF-8 bytes. */
    private static Arbitrary<String> string(final int capacity) {
        final Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(List.of(
            net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0x20, 0x7E)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 0x7FF)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x800, 0x10FFFF)
                .filter(c -> c < 0xD800 || c > 0xDFFF))));
        return codePoint.list().ofMaxSize(capacity).map(points -> {
            final StringBuilder text = new StringBuilder();
            int bytes = 0;
            for (final int point : points) {
                final int length = point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
                if (bytes + length > capacity) {
                    break;
                }
                bytes += length;
                text.appendCodePoint(point);
            }
            return text.toString();
        });
    }

    private static Object toPrimitiveArray(final Scalar scalar, final List<?> values) {
        final String element = scalar.javaElementType();
        final Object array = java.lang.reflect.Array.newInstance(primitive(element), values.size());
        for (int i = 0; i < values.size(); i++) {
            final Object value = values.get(i);
            switch (scalar) {
                case U16 -> java.lang.reflect.Array.setShort(array, i, (short) (int) (Integer) value);
                case U32 -> java.lang.reflect.Array.setInt(array, i, (int) (long) (Long) value);
                default -> java.lang.reflect.Array.set(array, i, value);
            }
        }
        return array;
    }

    private static Class<?> primitive(final String name) {
        return switch (name) {
            case "byte" -> byte.class;
            case "short" -> short.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "float" -> float.class;
            default -> double.class;
        };
    }
}
