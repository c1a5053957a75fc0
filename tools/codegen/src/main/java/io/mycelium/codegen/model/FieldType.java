package io.mycelium.codegen.model;

/**
 * The C layout of one field type: what it is, its size and alignment, and its canonical spelling (which includes
 * the capacity, so two fields with the same canonical type have the same bytes on the wire).
 *
 * @param kind     the shape of the field
 * @param scalar   the element type for {@link Kind#SCALAR} and {@link Kind#ARRAY}, else null
 * @param length   N of {@code [T; N]} / {@code [u8; N]}, K of {@code Vec<[u8; K]>}, else 0
 * @param capacity slots of a String or Vec, else 0
 */
public record FieldType(Kind kind, Scalar scalar, int length, int capacity) {

    /** The shapes a field can take. */
    public enum Kind {
        /** A single primitive. */
        SCALAR,
        /** {@code [u8; N]} or {@code U256}: N raw bytes. */
        BYTES,
        /** {@code [T; N]} for a numeric T other than u8. */
        ARRAY,
        /** {@code String}: fixed UTF-8 slot. */
        STRING,
        /** {@code Vec<u8>}: fixed byte vector. */
        VECTOR,
        /** {@code Vec<[u8; K]>}: fixed vector of K-byte items. */
        ITEMS
    }

    /** @return the field's size in bytes, padding inside the field included */
    public int size() {
        return switch (kind) {
            case SCALAR -> scalar.size();
            case BYTES -> length;
            case ARRAY -> length * scalar.size();
            case STRING, VECTOR -> fixedVectorSize(capacity);
            case ITEMS -> fixedVectorSize(capacity * length);
        };
    }

    /** @return the C alignment: the element size for scalars and arrays, 1 for raw bytes, 2 for fixed vectors */
    public int align() {
        return switch (kind) {
            case SCALAR, ARRAY -> scalar.size();
            case BYTES -> 1;
            case STRING, VECTOR, ITEMS -> 2;
        };
    }

    /** @return whether this type has a count that validation rules (not_empty, min/max_length) apply to */
    public boolean counted() {
        return kind == Kind.STRING || kind == Kind.VECTOR || kind == Kind.ITEMS;
    }

    /**
     * @return e.g. {@code u64}, {@code [f32; 16]}, {@code String(32)}, {@code Vec<u8>(16)},
     *         {@code Vec<[u8; 20]>(10)}
     */
    public String canonical() {
        return switch (kind) {
            case SCALAR -> scalar.yamlName();
            case BYTES -> "[u8; " + length + "]";
            case ARRAY -> "[" + scalar.yamlName() + "; " + length + "]";
            case STRING -> "String(" + capacity + ")";
            case VECTOR -> "Vec<u8>(" + capacity + ")";
            case ITEMS -> "Vec<[u8; " + length + "]>(" + capacity + ")";
        };
    }

    private static int fixedVectorSize(final int dataBytes) {
        return (8 + dataBytes + 1) & ~1;
    }
}
