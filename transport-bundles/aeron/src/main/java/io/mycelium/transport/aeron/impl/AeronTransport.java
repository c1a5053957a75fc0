package io.mycelium.transport.aeron.impl;

import io.mycelium.api.Schema;
import io.mycelium.api.link.LinkBus;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.TransportStats;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;

/** Links this node to its peers over Aeron (skeleton). */
public final class AeronTransport implements AutoCloseable {

    /** The Aeron stream id links use unless configured. */
    public static final int DEFAULT_STREAM_ID = 0x4d59;

    private final LinkSettings settings;

    AeronTransport(final LinkSettings settings, final Path aeronDir, final int streamId, final LinkBus bus,
            final Schema schema, final Logger log) {
        this.settings = settings;
    }

    void start(final String listen, final Map<String, String> peers) {
    }

    TransportStats stats() {
        return new TransportStats(AeronTransportComponent.KIND, settings.nodeName(), "", Map.of(), List.of());
    }

    @Override
    public void close() {
    }
}
