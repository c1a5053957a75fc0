package io.mycelium.protocol.control;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * GOODBYE: the sender closes the connection after this frame, for the reason given.
 *
 * <p>Immutable.
 *
 * @param reasonCode the u16 reason code, 1..65535 (see {@link GoodbyeReason}; codes unknown here are kept as they are)
 * @param text       a human-readable explanation, 0..{@link ControlDescriptor#MAX_TEXT_LENGTH} bytes of UTF-8
 */
public record Goodbye(int reasonCode, String text) implements ControlFrame {

    /** @throws ControlFrameException naming the field when the code is out of range or the text too long */
    public Goodbye {
        if (reasonCode < 1 || reasonCode > 0xFFFF) {
            throw new ControlFrameException(ControlDescriptor.GOODBYE, "reason", "GOODBYE reason code is "
                    + reasonCode + " but must be in 1..65535");
        }
        if (text == null) {
            throw new ControlFrameException(ControlDescriptor.GOODBYE, "text", "GOODBYE text is missing (null)");
        }
        final int length = text.getBytes(StandardCharsets.UTF_8).length;
        if (length > ControlDescriptor.MAX_TEXT_LENGTH) {
            throw new ControlFrameException(ControlDescriptor.GOODBYE, "text", "GOODBYE text is " + length
                    + " bytes of UTF-8 but must be at most " + ControlDescriptor.MAX_TEXT_LENGTH + " bytes");
        }
    }

    /** Returns a GOODBYE for {@code reason}; an over-long {@code text} is cut at a character boundary. */
    public static Goodbye of(final GoodbyeReason reason, final String text) {
        if (reason == GoodbyeReason.UNKNOWN) {
            throw new IllegalArgumentException("GoodbyeReason.UNKNOWN only describes codes received from newer"
                    + " peers; choose a concrete reason");
        }
        return new Goodbye(reason.code(), fit(Objects.requireNonNull(text, "text")));
    }

    /** Returns the reason for {@link #reasonCode()}, or {@link GoodbyeReason#UNKNOWN} for a code this side lacks. */
    public GoodbyeReason reason() {
        return GoodbyeReason.fromCode(reasonCode);
    }

    @Override
    public int typeId() {
        return ControlDescriptor.GOODBYE;
    }

    private static String fit(final String text) {
        String fitted = text;
        while (fitted.getBytes(StandardCharsets.UTF_8).length > ControlDescriptor.MAX_TEXT_LENGTH) {
            // Drop whole code points from the end; texts are short so the quadratic worst case does not matter.
            fitted = fitted.substring(0, fitted.offsetByCodePoints(fitted.length(), -1));
        }
        return fitted;
    }
}
