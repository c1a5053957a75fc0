package io.mycelium.codegen.model;

/**
 * The validation rules of a field that generated {@code validate()} methods check.
 *
 * @param notEmpty  {@code not_empty: true}
 * @param minLength {@code min_length}, or -1 when absent
 * @param maxLength {@code max_length}, or -1 when absent
 */
public record Validation(boolean notEmpty, int minLength, int maxLength) {

    /** No rules. */
    public static final Validation NONE = new Validation(false, -1, -1);

    /** @return whether any rule is present */
    public boolean any() {
        return notEmpty || minLength >= 0 || maxLength >= 0;
    }
}
