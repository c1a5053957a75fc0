package io.mycelium.transport.stream;

import io.mycelium.api.Delivery;
import io.mycelium.api.link.LinkBus;
import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.RawSchema;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds transports for tests over Unix sockets in a temporary folder or TCP on loopback; closes them all. */
final class LinkFixture implements AutoCloseable {

    static final SchemaDigest DIGEST = SchemaDigest.compute("messages: {}\n".getBytes());
    static final SchemaDigest OTHER_DIGEST = SchemaDigest.compute("messages: {x: 1}\n".getBytes());
    static final int TYPE_A = 1001;
    static final int SIZE_A = 16;
    static final int TYPE_B = 1002;
    static final int SIZE_B = 8;
    /** The nodes' schema: {@link #TYPE_A} of 16 bytes and {@link #TYPE_B} of 8, digest {@link #DIGEST}. */
    static final RawSchema SCHEMA = new RawSchema("tests", DIGEST.toByteArray(), sizes());

    final String kind;
    final StreamEndpoints endpoints;
    private final Path dir;
    private final List<StreamTransport> transports = new ArrayList<>();

    LinkFixture(final String kind, final Path dir) {
        this.kind = kind;
        this.dir = dir;
        this.endpoints = PlainEndpoints.of(kind);
    }

    /** Returns a listen address for {@code node}: a socket path, or loopback with a free port. */
    String listenAddress(final String node) {
        return kind.equals("unix") ? dir.resolve(node + ".sock").toString() : "127.0.0.1:0";
    }

    /** Fast timings so that liveness and reconnect tests finish quickly. */
    static LinkSettings settings(final String node) {
        return new LinkSettings(node, 8, 1024, 1_000, 65_536, OverflowPolicy.DROP_NEWEST, 256, 100, 600, 20, 200,
                1_000, false, LinkSettings.DEFAULT_READ_SPIN_MICROS);
    }

    StreamTransport start(final LinkSettings settings, final LinkBus bus, final String listen,
            final Map<String, String> peers) throws IOException {
        return start(settings, AdmissionSettings.DEFAULTS, LinkSecurity.DEFAULT, bus, SCHEMA, listen, peers);
    }

    StreamTransport start(final LinkSettings settings, final AdmissionSettings admission, final LinkBus bus,
            final io.mycelium.api.Schema schema, final String listen, final Map<String, String> peers)
            throws IOException {
        return start(settings, admission, LinkSecurity.DEFAULT, bus, schema, listen, peers);
    }

    StreamTransport start(final LinkSettings settings, final LinkSecurity security, final LinkBus bus,
            final String listen, final Map<String, String> peers) throws IOException {
        return start(settings, AdmissionSettings.DEFAULTS, security, bus, SCHEMA, listen, peers);
    }

    private StreamTransport start(final LinkSettings settings, final AdmissionSettings admission,
            final LinkSecurity security, final LinkBus bus, final io.mycelium.api.Schema schema, final String listen,
            final Map<String, String> peers) throws IOException {
        final StreamTransport transport = new StreamTransport(settings, admission, endpoints, bus, schema, security);
        transports.add(transport);
        transport.start(listen, peers);
        return transport;
    }

    StreamTransport listener(final String node, final LinkBus bus) throws IOException {
        return start(settings(node), bus, listenAddress(node), Map.of());
    }

    /**
     * Returns a recording loopback bus with a local subscriber (that ignores what it gets) of each of
     * {@code typeIds}, so that its node wants them from its peers.
     */
    static LoopbackBus wanting(final int... typeIds) {
        final LoopbackBus bus = LoopbackBus.recording();
        for (final int typeId : typeIds) {
            bus.subscribeRaw(typeId, (id, payload) -> { }, Delivery.INLINE);
        }
        return bus;
    }

    private static Map<Integer, Integer> sizes() {
        final Map<Integer, Integer> sizes = new LinkedHashMap<>();
        sizes.put(TYPE_A, SIZE_A);
        sizes.put(TYPE_B, SIZE_B);
        return sizes;
    }

    static boolean linked(final StreamTransport transport, final String peer) {
        return transport.stats().links().stream().anyMatch(link -> link.peer().equals(peer));
    }

    static boolean peerWants(final StreamTransport transport, final String peer, final int count) {
        return transport.stats().links().stream().anyMatch(link -> link.peer().equals(peer)
                && link.peerTypeIds() == count);
    }

    @Override
    public void close() {
        for (final StreamTransport transport : transports) {
            transport.close();
        }
    }
}
