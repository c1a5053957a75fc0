package io.mycelium.transport.stream;

/**
 * What a listener grants connections that have not proven anything yet, and how much memory partly received frames
 * may hold; immutable. Separate from {@link LinkSettings} because these bound strangers, not links (issue 13: 128
 * idle connections locked every client and peer node out; 120 links announcing 16 MiB frames exhausted the heap).
 *
 * @param maxPendingHandshakes          connections accepted but not yet through their handshake, 1..4096; when a
 *                                      new connection would exceed it, the oldest pending one is closed (it had the
 *                                      longest time to say who it is), so a flood of idle connections cannot lock a
 *                                      real client or peer node out
 * @param pendingHandshakeTimeoutMillis time an accepted connection may take to complete its handshake, at least 1;
 *                                      a real client or node sends its handshake at once
 * @param partialFramesMaxBytes         bytes of partly received frames all links of the transport may hold at once,
 *                                      at least 64 KiB; the link whose frame would exceed it is closed with GOODBYE
 *                                      FRAME_TOO_LARGE naming this setting
 */
public record AdmissionSettings(int maxPendingHandshakes, long pendingHandshakeTimeoutMillis,
        long partialFramesMaxBytes) {

    /** Default of {@link #maxPendingHandshakes()}. */
    public static final int DEFAULT_MAX_PENDING_HANDSHAKES = 16;
    /** Default of {@link #pendingHandshakeTimeoutMillis()}. */
    public static final long DEFAULT_PENDING_HANDSHAKE_TIMEOUT_MILLIS = 2_000;
    /** Default of {@link #partialFramesMaxBytes()}: 64 MiB. */
    public static final long DEFAULT_PARTIAL_FRAMES_MAX_BYTES = 64L << 20;
    /** The defaults. */
    public static final AdmissionSettings DEFAULTS = new AdmissionSettings(DEFAULT_MAX_PENDING_HANDSHAKES,
            DEFAULT_PENDING_HANDSHAKE_TIMEOUT_MILLIS, DEFAULT_PARTIAL_FRAMES_MAX_BYTES);

    /**
     * Validates every value.
     *
     * @throws IllegalArgumentException naming the setting, its value and the allowed range
     */
    public AdmissionSettings {
        check(LinkProperties.MAX_PENDING_HANDSHAKES, maxPendingHandshakes, 1, 4096);
        check(LinkProperties.PENDING_HANDSHAKE_TIMEOUT_MS, pendingHandshakeTimeoutMillis, 1, Long.MAX_VALUE);
        check(LinkProperties.PARTIAL_FRAMES_MAX_BYTES, partialFramesMaxBytes, 64 * 1024, Long.MAX_VALUE);
    }

    private static void check(final String key, final long value, final long min, final long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("transport setting " + key + " = " + value + " is outside " + min
                    + ".." + max);
        }
    }
}
