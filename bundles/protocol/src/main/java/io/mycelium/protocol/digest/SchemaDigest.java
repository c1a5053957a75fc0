package io.mycelium.protocol.digest;

import io.mycelium.api.SchemaException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The 32-byte SHA-256 of the exact bytes of a contracts.yaml file; two peers interoperate only when theirs are equal.
 *
 * <p>Immutable and thread-safe. {@link #equals} and {@link #matches} compare in constant time, because a server
 * compares a digest chosen by an unauthenticated client with its own. The text form is 64 lower-case hex characters,
 * as in logs, the console and the {@code MYCELIUM_SCHEMA_DIGEST} environment variable.
 */
public final class SchemaDigest {

    /** Length of a digest in bytes. */
    public static final int LENGTH = 32;

    /** Length of the hex form in characters. */
    public static final int HEX_LENGTH = 2 * LENGTH;

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    /** Thirty-two zero bytes: the "no digest" placeholder some messages carry when the real one is unknown. */
    public static final SchemaDigest ZERO = new SchemaDigest(new byte[LENGTH]);

    private final byte[] bytes;

    private SchemaDigest(final byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Wraps a copy of 32 digest bytes.
     *
     * @throws IllegalArgumentException when {@code bytes} is not exactly 32 bytes long
     */
    public static SchemaDigest of(final byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a schema digest is " + LENGTH + " bytes (SHA-256) but "
                    + bytes.length + " bytes were given");
        }
        return new SchemaDigest(bytes.clone());
    }

    /**
     * Reads 32 digest bytes at the absolute {@code index} of {@code buffer} without moving its position.
     *
     * @throws IndexOutOfBoundsException when fewer than 32 bytes lie at {@code index}
     */
    public static SchemaDigest read(final ByteBuffer buffer, final int index) {
        final byte[] bytes = new byte[LENGTH];
        buffer.get(index, bytes);
        return new SchemaDigest(bytes);
    }

    /** Returns the digest of the given contracts file content: SHA-256 over exactly these bytes. */
    public static SchemaDigest compute(final byte[] contractsFileBytes) {
        return new SchemaDigest(sha256().digest(contractsFileBytes));
    }

    /**
     * Returns the digest of the file at {@code contractsFile}: SHA-256 over its exact bytes (comments and whitespace
     * included, so any edit changes it).
     *
     * @throws SchemaException when the file cannot be read (the message names the path and the cause)
     */
    public static SchemaDigest compute(final Path contractsFile) {
        try {
            return compute(Files.readAllBytes(contractsFile));
        } catch (final IOException e) {
            throw new SchemaException("cannot read contracts file " + contractsFile.toAbsolutePath()
                    + " to compute its schema digest: " + e, e);
        }
    }

    /**
     * Parses the 64-character hex form (upper or lower case; surrounding whitespace is ignored).
     *
     * @param hex  the text to parse
     * @param what where the text came from, named in the error (e.g. {@code "env MYCELIUM_SCHEMA_DIGEST"})
     * @throws SchemaException when {@code hex} is null, not 64 characters, or holds a non-hex character (the
     *                         message gives the position and the character)
     */
    public static SchemaDigest fromHex(final String hex, final String what) {
        if (hex == null) {
            throw new SchemaException(what + ": schema digest is missing; expected " + HEX_LENGTH
                    + " hex characters (the SHA-256 of contracts.yaml)");
        }
        final String text = hex.strip();
        if (text.length() != HEX_LENGTH) {
            throw new SchemaException(what + ": schema digest '" + abbreviate(text) + "' has " + text.length()
                    + " characters but must have " + HEX_LENGTH + " hex characters (the SHA-256 of contracts.yaml)");
        }
        final byte[] bytes = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            bytes[i] = (byte) ((hexValue(text, 2 * i, what) << 4) | hexValue(text, 2 * i + 1, what));
        }
        return new SchemaDigest(bytes);
    }

    /** As {@link #fromHex(String, String)} with the source named "schema digest". */
    public static SchemaDigest fromHex(final String hex) {
        return fromHex(hex, "schema digest");
    }

    /** Returns a copy of the 32 bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Writes the 32 bytes at the absolute {@code index} of {@code buffer} without moving its position. */
    public void write(final ByteBuffer buffer, final int index) {
        buffer.put(index, bytes);
    }

    /**
     * Says, in constant time and without allocating, whether the 32 bytes at the absolute {@code index} of
     * {@code buffer} equal this digest.
     *
     * @throws IndexOutOfBoundsException when fewer than 32 bytes lie at {@code index}
     */
    public boolean matches(final ByteBuffer buffer, final int index) {
        if (index < 0 || buffer.limit() - index < LENGTH) {
            throw new IndexOutOfBoundsException("need " + LENGTH + " digest bytes at index " + index
                    + " but the buffer's limit is " + buffer.limit());
        }
        int difference = 0;
        for (int i = 0; i < LENGTH; i++) {
            difference |= bytes[i] ^ buffer.get(index + i);
        }
        return difference == 0;
    }

    /** Returns the 64-character lower-case hex form. */
    public String toHex() {
        final char[] chars = new char[HEX_LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            chars[2 * i] = HEX_DIGITS[(bytes[i] >> 4) & 0xF];
            chars[2 * i + 1] = HEX_DIGITS[bytes[i] & 0xF];
        }
        return new String(chars);
    }

    /** Returns the first 12 hex characters, enough to tell digests apart in a log line. */
    public String shortHex() {
        return toHex().substring(0, 12);
    }

    /** Compares the bytes in constant time. */
    @Override
    public boolean equals(final Object other) {
        return other instanceof SchemaDigest && MessageDigest.isEqual(bytes, ((SchemaDigest) other).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Returns {@link #toHex()}. */
    @Override
    public String toString() {
        return toHex();
    }

    private static int hexValue(final String text, final int index, final String what) {
        final int value = Character.digit(text.charAt(index), 16);
        if (value < 0 || text.charAt(index) > 'f') {
            throw new SchemaException(what + ": schema digest has '" + text.charAt(index) + "' at position " + index
                    + ", which is not a hex digit (0-9, a-f)");
        }
        return value;
    }

    private static String abbreviate(final String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (java.security.MessageDigest's contract), so this is a broken JRE.
            throw new IllegalStateException("this JRE has no SHA-256 MessageDigest, which every Java platform must"
                    + " provide", e);
        }
    }
}
