package io.mycelium.console.impl.model;

import java.util.Objects;

/**
 * One message type on the bus. Immutable.
 *
 * @param typeId               the type id
 * @param name                 the type's name, or the empty string when unknown
 * @param schemaId             the active schema that registers it, or the empty string
 * @param sizeBytes            the encoded size of one message, or -1 when no active schema gives it
 * @param published            publishes (typed and raw, local and from peers)
 * @param delivered            messages handed to handlers
 * @param dropped              messages dropped by subscription overflow policies or closing
 * @param unrouted             publishes that found no subscriber (counted, not an error)
 * @param handlerErrors        handler invocations that threw
 * @param subscribers          open subscriptions now
 * @param publishedPerSecond   publishes per second
 * @param deliveredPerSecond   deliveries per second
 * @param droppedPerSecond     drops per second
 * @param unroutedPerSecond    publishes with no subscriber per second
 * @param bytesPerSecond       published bytes per second ({@code publishedPerSecond × sizeBytes}), or -1 when the
 *                             size is unknown
 */
public record TypeRow(int typeId, String name, String schemaId, int sizeBytes, long published, long delivered,
        long dropped, long unrouted, long handlerErrors, int subscribers, double publishedPerSecond,
        double deliveredPerSecond, double droppedPerSecond, double unroutedPerSecond, double bytesPerSecond) {

    /** Checks the components. */
    public TypeRow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schemaId, "schemaId");
    }

    /** @return the name, or {@code type <id>} when the name is unknown */
    public String label() {
        return name.isEmpty() ? "type " + typeId : name;
    }
}
