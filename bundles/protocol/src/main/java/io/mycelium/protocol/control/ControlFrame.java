package io.mycelium.protocol.control;

/**
 * A decoded control frame; each kind is an immutable record that validates itself on construction.
 */
public sealed interface ControlFrame permits Subscribe, Unsubscribe, Ping, Pong, Goodbye {

    /** Returns the frame's type id in the core range (see {@link ControlDescriptor}). */
    int typeId();
}
