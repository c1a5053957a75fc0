package io.mycelium.protocol.control;

/**
 * PING: the receiver must answer with a {@link Pong} carrying the same nonce (liveness check).
 *
 * <p>Immutable.
 *
 * @param nonce any 64-bit value, typically a send timestamp in nanoseconds so the PONG gives a round-trip time
 */
public record Ping(long nonce) implements ControlFrame {

    @Override
    public int typeId() {
        return ControlDescriptor.PING;
    }
}
