package io.mycelium.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A generated, immutable message value that knows its own {@link MessageType}.
 *
 * <p>Generated message classes implement this so {@code bus.publish(message)} needs no descriptor argument.
 */
@ConsumerType
public interface Message {

    /**
     * The descriptor of this message's type.
     *
     * @return the type descriptor; never {@code null} and the same instance for every message of a class
     */
    MessageType<? extends Message> messageType();
}
