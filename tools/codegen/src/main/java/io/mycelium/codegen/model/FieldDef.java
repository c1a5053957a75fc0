package io.mycelium.codegen.model;

/**
 * One field of a message, placed in the C layout.
 *
 * @param name        the name as written in contracts.yaml
 * @param description the documentation text
 * @param type        the layout type
 * @param validation  the rules checked by {@code validate()}
 * @param optional    the {@code optional} flag (documentation only; every field is always on the wire)
 * @param line        1-based line of the field in contracts.yaml
 * @param offset      the byte offset inside the payload
 */
public record FieldDef(String name, String description, FieldType type, Validation validation, boolean optional,
                       int line, int offset) {

    /** @return this field at {@code newOffset} */
    public FieldDef at(final int newOffset) {
        return new FieldDef(name, description, type, validation, optional, line, newOffset);
    }
}
