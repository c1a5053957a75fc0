package io.mycelium.codegen.model;

/**
 * A primitive field or array element type of {@code contracts.yaml}, with its C size (= alignment) and how each
 * target language stores it.
 */
public enum Scalar {
    U8("u8", 1, "int", "byte", "B", "B"),
    U16("u16", 2, "int", "short", "H", "H"),
    U32("u32", 4, "long", "int", "I", "I"),
    U64("u64", 8, "long", "long", "Q", "Q"),
    I8("i8", 1, "byte", "byte", "b", "b"),
    I16("i16", 2, "short", "short", "h", "h"),
    I32("i32", 4, "int", "int", "i", "i"),
    I64("i64", 8, "long", "long", "q", "q"),
    F32("f32", 4, "float", "float", "f", "f"),
    F64("f64", 8, "double", "double", "d", "d"),
    BOOL("bool", 1, "boolean", null, "?", null);

    private final String yamlName;
    private final int size;
    private final String javaType;
    private final String javaElementType;
    private final String structCode;
    private final String arrayTypeCode;

    Scalar(final String yamlName, final int size, final String javaType, final String javaElementType,
           final String structCode, final String arrayTypeCode) {
        this.yamlName = yamlName;
        this.size = size;
        this.javaType = javaType;
        this.javaElementType = javaElementType;
        this.structCode = structCode;
        this.arrayTypeCode = arrayTypeCode;
    }

    /** @return the type as spelled in contracts.yaml, e.g. {@code u16} */
    public String yamlName() {
        return yamlName;
    }

    /** @return size in bytes, also the C alignment */
    public int size() {
        return size;
    }

    /** @return the Java type of a scalar field (unsigned types widen so every value fits) */
    public String javaType() {
        return javaType;
    }

    /** @return the Java element type of a {@code [T; N]} array field (same width, raw bits), or null if unsupported */
    public String javaElementType() {
        return javaElementType;
    }

    /** @return the Python {@code struct} format character */
    public String structCode() {
        return structCode;
    }

    /** @return the Python {@code array} type code for {@code [T; N]} fields, or null if unsupported */
    public String arrayTypeCode() {
        return arrayTypeCode;
    }

    /** @return whether this is an unsigned integer type */
    public boolean unsigned() {
        return this == U8 || this == U16 || this == U32 || this == U64;
    }

    /** @return whether this is a floating point type */
    public boolean floating() {
        return this == F32 || this == F64;
    }

    /**
     * @param name a type name from contracts.yaml
     * @return the scalar, or null if {@code name} is not one
     */
    public static Scalar byYamlName(final String name) {
        for (final Scalar scalar : values()) {
            if (scalar.yamlName.equals(name)) {
                return scalar;
            }
        }
        return null;
    }
}
