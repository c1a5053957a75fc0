package io.mycelium.transport.aeron.impl;

import io.aeron.ExclusivePublication;
import io.aeron.ReservedValueSupplier;
import io.mycelium.api.Schema;
import io.mycelium.api.link.LinkBus;
import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.transport.stream.LinkSettings;

import java.nio.ByteBuffer;

import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;

/**
 * What every link of one Aeron transport shares: settings, the bus, the schema and its digest, the counters, the
 * log, and the buffers of the link thread.
 *
 * <p><b>Threading:</b> the final fields are safe for any thread; {@link #localInterest()}, {@link #scratch()} and
 * {@link #scratchBuffer()} belong to the transport's link thread only.
 */
final class AeronLinkContext {

    private final LinkSettings settings;
    private final LinkBus bus;
    private final Schema schema;
    private final SchemaDigest digest;
    private final AeronCounters counters = new AeronCounters();
    private final Logger log;
    /** What {@link #offerPayload} returns for a payload whose length is not its type's size. */
    static final long WRONG_SIZE = Long.MIN_VALUE;

    private final ThreadLocal<UnsafeBuffer> payloadViews = ThreadLocal.withInitial(UnsafeBuffer::new);
    // link thread only
    private final IntHashSet localInterest = new IntHashSet();
    private final ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
    private final UnsafeBuffer scratchBuffer = new UnsafeBuffer(scratch);
    private AeronRoutes routes;

    AeronLinkContext(final LinkSettings settings, final LinkBus bus, final Schema schema, final Logger log) {
        this.settings = settings;
        this.bus = bus;
        this.schema = schema;
        this.digest = SchemaDigest.of(schema.digest());
        this.log = log;
    }

    LinkSettings settings() {
        return settings;
    }

    String nodeName() {
        return settings.nodeName();
    }

    LinkBus bus() {
        return bus;
    }

    Schema schema() {
        return schema;
    }

    SchemaDigest digest() {
        return digest;
    }

    AeronCounters counters() {
        return counters;
    }

    Logger log() {
        return log;
    }

    /**
     * Offers one application payload of a type of {@code size} bytes through the calling thread's reusable view (a
     * link's own publication or the fan-out's); a payload of another length is counted ({@code wrongSize}) and not
     * offered. Any thread, allocation-free.
     *
     * @return the offer's result ({@link AeronLinkDescriptor#offer}), or {@link #WRONG_SIZE}
     */
    long offerPayload(final ExclusivePublication publication, final ReservedValueSupplier frameType, final int size,
            final ByteBuffer payload) {
        final int length = payload.remaining();
        if (length != size) {
            counters.wrongSize.incrementAndGet();
            return WRONG_SIZE;
        }
        final UnsafeBuffer view = payloadViews.get();
        view.wrap(payload, payload.position(), length);
        return AeronLinkDescriptor.offer(publication, view, length, frameType);
    }

    /** Returns the type ids this node's local subscribers want. Link thread only. */
    IntHashSet localInterest() {
        return localInterest;
    }

    /** Returns a 64 KiB buffer for encoding control frames and copying received payloads. Link thread only. */
    ByteBuffer scratch() {
        return scratch;
    }

    /** Returns {@link #scratch()} as an Agrona buffer. Link thread only. */
    UnsafeBuffer scratchBuffer() {
        return scratchBuffer;
    }

    /** Sets the routes of the peers' types, once, before the link thread starts. */
    void routes(final AeronRoutes value) {
        routes = value;
    }

    /** Returns which publications carry each type the peers subscribe to. Link thread only. */
    AeronRoutes routes() {
        return routes;
    }
}
