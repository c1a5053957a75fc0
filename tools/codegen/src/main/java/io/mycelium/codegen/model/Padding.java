package io.mycelium.codegen.model;

/**
 * A run of padding bytes between fields or at the end of a message; always written as zero.
 *
 * @param offset first padding byte
 * @param length number of bytes
 */
public record Padding(int offset, int length) {
}
