package io.mycelium.transport.stream;

import io.mycelium.protocol.frame.FrameDescriptor;

import java.util.Objects;

/**
 * Limits and timings of one stream transport, as set by its configuration (docs/transports.md lists the
 * configuration keys); immutable.
 *
 * @param nodeName                this node's name, sent in HELLO and ACCEPT (1..255 bytes of UTF-8)
 * @param maxConnections          most accepted connections open at once (handshaking or established), 1..65536
 * @param maxPayloadLength        largest payload accepted from a peer, 0..{@link
 *                                FrameDescriptor#MAX_CONFIGURABLE_PAYLOAD_LENGTH}
 * @param handshakeTimeoutMillis  time a connection may take to complete its handshake, at least 1
 * @param queueCapacity           outbound frames queued per link, 2..16777216
 * @param overflow                what a full outbound queue does
 * @param slotSize                bytes of a typical outbound frame, 64..1 MiB: a link's outbound ring grows up to
 *                                {@code queueCapacity x slotSize} bytes; a larger frame may grow it beyond that
 * @param heartbeatIntervalMillis time between PINGs on a quiet v1 link, at least 1
 * @param livenessTimeoutMillis   time without any byte from a v1 peer after which the link is closed, larger than
 *                                the heartbeat interval
 * @param reconnectInitialMillis  first reconnect delay of a dialed link, at least 1
 * @param reconnectMaxMillis      cap of the exponential reconnect delay, at least the initial delay
 * @param connectTimeoutMillis    time a connect attempt may take, at least 1
 * @param closeOnUnknownType      whether a frame of a type id the schema lacks closes the link (GOODBYE
 *                                UNKNOWN_TYPE) instead of being skipped
 * @param readSpinMicros          how long a link's reader keeps polling its socket without blocking after a read
 *                                that drained it, before it goes back to its selector, 0..10000; 0 never spins.
 *                                A short spin lets a request/reply peer find the reader awake (one read instead of
 *                                a selector wake-up plus a read); it burns at most this long of one core per burst
 */
public record LinkSettings(String nodeName, int maxConnections, int maxPayloadLength, long handshakeTimeoutMillis,
        int queueCapacity, OverflowPolicy overflow, int slotSize, long heartbeatIntervalMillis,
        long livenessTimeoutMillis, long reconnectInitialMillis, long reconnectMaxMillis, int connectTimeoutMillis,
        boolean closeOnUnknownType, long readSpinMicros) {

    /** Default of {@link #maxConnections()}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    /** Default of {@link #handshakeTimeoutMillis()}. */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 5_000;
    /** Default of {@link #queueCapacity()}. */
    public static final int DEFAULT_QUEUE_CAPACITY = 8_192;
    /** Default of {@link #slotSize()}. */
    public static final int DEFAULT_SLOT_SIZE = 512;
    /** Default of {@link #heartbeatIntervalMillis()}. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MILLIS = 1_000;
    /** Default of {@link #livenessTimeoutMillis()}. */
    public static final long DEFAULT_LIVENESS_TIMEOUT_MILLIS = 5_000;
    /** Default of {@link #reconnectInitialMillis()}. */
    public static final long DEFAULT_RECONNECT_INITIAL_MILLIS = 100;
    /** Default of {@link #reconnectMaxMillis()}. */
    public static final long DEFAULT_RECONNECT_MAX_MILLIS = 5_000;
    /** Default of {@link #connectTimeoutMillis()}. */
    public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 2_000;
    /** Default of {@link #readSpinMicros()}: long enough to cover a peer's turnaround, short enough to stay idle. */
    public static final long DEFAULT_READ_SPIN_MICROS = 50;
    /** Largest {@link #readSpinMicros()}: beyond 10 ms a spin is a busy loop, not a bridge over a turnaround. */
    public static final long MAX_READ_SPIN_MICROS = 10_000;

    /**
     * Validates every value.
     *
     * @throws IllegalArgumentException naming the setting, its value and the allowed range
     */
    public LinkSettings {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(overflow, "overflow");
        if (nodeName.isBlank()) {
            throw new IllegalArgumentException("node name is blank; set 'node' in the transport configuration");
        }
        check("max.connections", maxConnections, 1, 65_536);
        check("max.payload.length", maxPayloadLength, 0, FrameDescriptor.MAX_CONFIGURABLE_PAYLOAD_LENGTH);
        check("handshake.timeout.ms", handshakeTimeoutMillis, 1, Long.MAX_VALUE);
        check("queue.capacity", queueCapacity, 2, 1 << 24);
        check("slot.size", slotSize, 64, 1 << 20);
        check("heartbeat.interval.ms", heartbeatIntervalMillis, 1, Long.MAX_VALUE);
        check("liveness.timeout.ms", livenessTimeoutMillis, heartbeatIntervalMillis + 1, Long.MAX_VALUE);
        check("reconnect.initial.ms", reconnectInitialMillis, 1, Long.MAX_VALUE);
        check("reconnect.max.ms", reconnectMaxMillis, reconnectInitialMillis, Long.MAX_VALUE);
        check("connect.timeout.ms", connectTimeoutMillis, 1, Integer.MAX_VALUE);
        check("read.spin.micros", readSpinMicros, 0, MAX_READ_SPIN_MICROS);
    }

    /** Returns the defaults for a node named {@code nodeName}. */
    public static LinkSettings defaults(final String nodeName) {
        return new LinkSettings(nodeName, DEFAULT_MAX_CONNECTIONS, FrameDescriptor.DEFAULT_MAX_PAYLOAD_LENGTH,
                DEFAULT_HANDSHAKE_TIMEOUT_MILLIS, DEFAULT_QUEUE_CAPACITY, OverflowPolicy.DROP_NEWEST,
                DEFAULT_SLOT_SIZE, DEFAULT_HEARTBEAT_INTERVAL_MILLIS, DEFAULT_LIVENESS_TIMEOUT_MILLIS,
                DEFAULT_RECONNECT_INITIAL_MILLIS, DEFAULT_RECONNECT_MAX_MILLIS, DEFAULT_CONNECT_TIMEOUT_MILLIS, false,
                DEFAULT_READ_SPIN_MICROS);
    }

    private static void check(final String key, final long value, final long min, final long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("transport setting " + key + " = " + value + " is outside " + min
                    + ".." + max);
        }
    }
}
