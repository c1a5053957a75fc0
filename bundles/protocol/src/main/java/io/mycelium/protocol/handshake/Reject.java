package io.mycelium.protocol.handshake;

import io.mycelium.protocol.digest.SchemaDigest;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A server's v1 REJECT: the connection is refused for a reason, and the server closes it after sending this.
 *
 * <p>Immutable; a constructed REJECT always encodes. Both digests are always present so that a client can show them
 * side by side; {@code clientDigest} is {@link SchemaDigest#ZERO} when the server could not read the client's.
 *
 * @param version      the highest protocol version the server speaks
 * @param reasonCode   the u16 reason code, 1..65535 (see {@link RejectReason}; unknown codes from newer servers are
 *                     kept as they are)
 * @param serverDigest the server's schema digest
 * @param clientDigest the digest the client sent, or {@link SchemaDigest#ZERO}
 * @param text         a human-readable explanation, 0..1024 bytes of UTF-8 (see {@link #fitText})
 */
public record Reject(int version, int reasonCode, SchemaDigest serverDigest, SchemaDigest clientDigest, String text)
        implements HandshakeReply {

    /**
     * @throws HandshakeException naming the field when a value is out of range or the text is too long or not
     *                            encodable as UTF-8
     */
    public Reject {
        HandshakeFields.checkU16("version", version, 1);
        HandshakeFields.checkU16("reason", reasonCode, 1);
        Objects.requireNonNull(serverDigest, "serverDigest");
        Objects.requireNonNull(clientDigest, "clientDigest");
        HandshakeFields.checkText("text", text);
    }

    /** Returns a version-1 REJECT; {@code text} is shortened with {@link #fitText} when it is too long. */
    public static Reject of(final RejectReason reason, final SchemaDigest serverDigest,
            final SchemaDigest clientDigest, final String text) {
        if (reason == RejectReason.UNKNOWN) {
            throw new IllegalArgumentException("RejectReason.UNKNOWN only describes codes received from newer"
                    + " servers; choose a concrete reason");
        }
        return new Reject(HandshakeDescriptor.VERSION_1, reason.code(), serverDigest, clientDigest, fitText(text));
    }

    /** Returns the DIGEST_MISMATCH answer to a HELLO whose digest differs from the server's. */
    public static Reject digestMismatch(final SchemaDigest serverDigest, final SchemaDigest clientDigest) {
        return of(RejectReason.DIGEST_MISMATCH, serverDigest, clientDigest, "schema digest mismatch: client has "
                + clientDigest.toHex() + ", server has " + serverDigest.toHex()
                + "; build both sides from the same contracts.yaml");
    }

    /** Returns the answer to a HELLO that {@link HandshakeCodec} or {@link HandshakeReader} refused. */
    public static Reject forFailure(final SchemaDigest serverDigest, final HandshakeException failure) {
        final RejectReason reason = failure.rejectReason() == RejectReason.UNSUPPORTED_VERSION
                ? RejectReason.UNSUPPORTED_VERSION : RejectReason.MALFORMED;
        return of(reason, serverDigest, SchemaDigest.ZERO, failure.getMessage());
    }

    /** Returns the reason for {@link #reasonCode()}, or {@link RejectReason#UNKNOWN} for a code this side lacks. */
    public RejectReason reason() {
        return RejectReason.fromCode(reasonCode);
    }

    /**
     * Returns the exception a client raises for this REJECT: it names the reason, the server's text and, for a
     * digest mismatch, both digests.
     *
     * @param server how to name the server in the message (address or node name)
     */
    public HandshakeException toException(final String server) {
        final RejectReason reason = reason();
        final StringBuilder message = new StringBuilder("server ").append(server).append(" rejected the connection: ")
                .append(reason == RejectReason.UNKNOWN ? "reason code " + reasonCode : reason.name());
        if (!text.isEmpty()) {
            message.append(": ").append(text);
        }
        if (reason == RejectReason.DIGEST_MISMATCH) {
            message.append(" (client digest ").append(clientDigest.toHex()).append(", server digest ")
                    .append(serverDigest.toHex()).append(')');
        } else if (reason == RejectReason.UNSUPPORTED_VERSION) {
            message.append(" (server speaks protocol version ").append(version).append(')');
        }
        return new HandshakeException(fieldFor(reason), reason, message.toString(), this);
    }

    /**
     * Returns {@code text} shortened to at most {@link HandshakeDescriptor#MAX_TEXT_LENGTH} UTF-8 bytes at a code
     * point boundary, ending in "..." when shortened; an unpaired surrogate is replaced by '?'.
     */
    public static String fitText(final String text) {
        final String wellFormed = HandshakeFields.replaceUnpairedSurrogates(Objects.requireNonNull(text, "text"));
        if (wellFormed.getBytes(StandardCharsets.UTF_8).length <= HandshakeDescriptor.MAX_TEXT_LENGTH) {
            return wellFormed;
        }
        final int budget = HandshakeDescriptor.MAX_TEXT_LENGTH - 3;
        final StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < wellFormed.length(); ) {
            final int codePoint = wellFormed.codePointAt(i);
            final int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > budget) {
                break;
            }
            out.appendCodePoint(codePoint);
            used += size;
            i += Character.charCount(codePoint);
        }
        return out.append("...").toString();
    }

    private static String fieldFor(final RejectReason reason) {
        switch (reason) {
            case DIGEST_MISMATCH:
                return "digest";
            case UNSUPPORTED_VERSION:
                return "version";
            default:
                return "reason";
        }
    }
}
