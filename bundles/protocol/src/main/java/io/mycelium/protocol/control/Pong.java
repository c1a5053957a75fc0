package io.mycelium.protocol.control;

/**
 * PONG: the answer to a {@link Ping}.
 *
 * <p>Immutable.
 *
 * @param nonce the nonce of the PING answered
 */
public record Pong(long nonce) implements ControlFrame {

    @Override
    public int typeId() {
        return ControlDescriptor.PONG;
    }
}
