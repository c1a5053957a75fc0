package io.mycelium.protocol.control;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A decoded control frame; each kind is an immutable record that validates itself on construction.
 */
@ProviderType
public sealed interface ControlFrame permits Subscribe, Unsubscribe, Ping, Pong, Goodbye {

    /** Returns the frame's type id in the core range (see {@link ControlDescriptor}). */
    int typeId();
}
