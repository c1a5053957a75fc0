package io.mycelium.itests.osgi;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.mycelium.api.Delivery;
import io.mycelium.api.MessageBus;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Schema;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.LinkStats;
import io.mycelium.transport.stream.StreamEndpoints;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.stream.LinkState;
import io.mycelium.transport.stream.TransportCounter;
import io.mycelium.transport.stream.TransportStats;
import io.mycelium.transport.stream.TransportStatsSource;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The Unix and TCP transport bundles in a real Felix: a factory configuration created through ConfigAdmin starts
 * node {@code a}, which links with node {@code b} (a {@link StreamTransport} run by the test outside the framework's
 * bus) and exchanges messages both ways; deleting the configuration stops the link (and removes the socket file).
 * Node b opens its channels with the same endpoints as a, loaded from the transport bundle (its package is private:
 * nothing outside the bundle compiles against it).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StreamTransportIT extends MyceliumTestBase {

    private static final int TYPE = 4242;
    private static final int SIZE = 16;

    private final List<ServiceRegistration<?>> registrations = new CopyOnWriteArrayList<>();
    /** A schema of one 16-byte raw type. */
    private Schema schema;

    @Before
    public void registerServices() throws Exception {
        final byte[] digest = MessageDigest.getInstance("SHA-256").digest("UnixTransportIT contracts".getBytes());
        schema = new RawSchema("unix-transport-it", digest, Map.of(TYPE, SIZE));
        final ServiceRegistration<?> bus = registerLoopbackBusUnlessPresent();
        if (bus != null) {
            registrations.add(bus);
        }
        final Dictionary<String, Object> props = new Hashtable<>();
        props.put(Schema.DIGEST_PROPERTY, schema.digestHex());
        registrations.add(context.registerService(Schema.class, schema, props));
    }

    @After
    public void unregisterServices() {
        for (final ServiceRegistration<?> registration : registrations) {
            registration.unregister();
        }
    }

    @Test
    public void shouldExchangeMessagesOverUnixWhenConfiguredThroughConfigAdmin() throws Exception {
        final Path dir = Files.createTempDirectory("mycelium-unix-it");
        final Path aSocket = dir.resolve("a.sock");
        final LoopbackBus peerBus = peerBus();
        final StreamTransport b = new StreamTransport(LinkSettings.defaults("b"),
                bundleEndpoints("unix", "io.mycelium.transport.unix.impl.UnixEndpoints", "rw-------"), peerBus, schema);
        b.start(dir.resolve("b.sock").toString(), Map.of());
        final Dictionary<String, Object> props = new Hashtable<>();
        props.put("node", "a");
        props.put("listen", aSocket.toString());
        props.put("peers", new String[] {"b=" + dir.resolve("b.sock")});
        props.put("socket.dir", dir.toString());
        exchange("io.mycelium.transport.unix", props, b, peerBus, () -> {
            try {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(aSocket)));
            } catch (final java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        awaitTrue("socket file removed when the component stops", () -> !Files.exists(aSocket));
    }

    @Test
    public void shouldExchangeMessagesOverTcpWhenConfiguredThroughConfigAdmin() throws Exception {
        final LoopbackBus peerBus = peerBus();
        final StreamTransport b = new StreamTransport(LinkSettings.defaults("b"),
                bundleEndpoints("tcp", "io.mycelium.transport.tcp.impl.TcpEndpoints"), peerBus, schema);
        b.start("127.0.0.1:0", Map.of());
        final Dictionary<String, Object> props = new Hashtable<>();
        props.put("node", "a");
        props.put("peers", new String[] {"b=" + b.listenAddress()});
        exchange("io.mycelium.transport.tcp", props, b, peerBus, () -> { });
    }

    /**
     * @param kind      the transport bundle's kind ({@code io.mycelium.transport-<kind>})
     * @param className its {@link StreamEndpoints} class
     * @param arguments the constructor's String arguments
     * @return a new instance, loaded by the bundle
     */
    private StreamEndpoints bundleEndpoints(final String kind, final String className, final String... arguments)
            throws ReflectiveOperationException {
        final Class<?>[] types = new Class<?>[arguments.length];
        java.util.Arrays.fill(types, String.class);
        return (StreamEndpoints) installedBundle("io.mycelium.transport-" + kind).loadClass(className)
                .getConstructor(types).newInstance((Object[]) arguments);
    }

    /**
     * Creates the factory configuration, waits for a to link with b, sends a message each way, deletes the
     * configuration and waits for b to see a's GOODBYE; closes b.
     */
    private void exchange(final String factoryPid, final Dictionary<String, Object> props, final StreamTransport b,
                          final LoopbackBus peerBus, final Runnable whileLinked) throws Exception {
        final ConfigurationAdmin admin = awaitService(ConfigurationAdmin.class, null);
        final Configuration configuration = admin.getFactoryConfiguration(factoryPid, "it", "?");
        final MessageBus bus = awaitService(MessageBus.class, null);
        final AtomicReference<byte[]> atA = new AtomicReference<>();
        final RawMessageHandler handler = (typeId, payload) -> {
            final byte[] bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
            if (bytes[0] == 2) {
                atA.set(bytes);
            }
        };
        // A local subscriber on node a first: with the real bus, a announces exactly the types it has subscribers of.
        try (var subscription = bus.subscribeRaw(TYPE, handler, Delivery.INLINE)) {
            configuration.update(props);
            awaitTrue("a dialed b and subscribed to the schema's type", () -> b.stats().links().stream()
                    .anyMatch(link -> link.peer().equals("a") && link.peerTypeIds() == 1));
            whileLinked.run();
            assertStatsService(factoryPid.substring(factoryPid.lastIndexOf('.') + 1));

            // b's SUBSCRIBE reaches a's link table asynchronously: publish until the first message crosses.
            awaitTrue("b received a's message", () -> {
                bus.publishRaw(TYPE, ByteBuffer.wrap(payload(1)));
                return !peerBus.fromPeer().isEmpty();
            });
            assertArrayEquals(payload(1), peerBus.fromPeer().get(0).payload());

            awaitTrue("a subscribed to b's type", () -> peerBus.taps(TYPE) > 0);
            peerBus.publishRaw(TYPE, ByteBuffer.wrap(payload(2)));
            awaitTrue("a's subscriber received b's message", () -> atA.get() != null);
            assertArrayEquals(payload(2), atA.get());
            final LinkStats link = b.stats().links().get(0);
            assertTrue(link.framesReceived() >= 1);
            assertEquals(1, link.framesSent());
        } finally {
            configuration.delete();
            awaitTrue("b saw a's GOODBYE", () -> b.stats().counter(TransportCounter.GOODBYES_RECEIVED) == 1);
            b.close();
        }
        assertTrue(b.stats().links().isEmpty());
    }

    /**
     * The transport registers its stats as a {@link TransportStatsSource} service (what consoles read), with its
     * kind and node as properties; it shows the link to b and b's state as a dialed peer.
     */
    private void assertStatsService(final String kind) throws Exception {
        final TransportStatsSource source = awaitService(TransportStatsSource.class,
                "(&(" + TransportStatsSource.KIND + "=" + kind + ")(" + TransportStatsSource.NODE + "=a))");
        awaitTrue("the stats service shows the link to b", () -> {
            final TransportStats stats = source.stats();
            return stats.links().stream().anyMatch(link -> link.peer().equals("b"))
                    && stats.peers().stream().anyMatch(peer -> peer.peer().equals("b")
                            && peer.state() == LinkState.CONNECTED);
        });
        assertEquals(kind, source.stats().kind());
    }

    private static byte[] payload(final int seed) {
        final byte[] bytes = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            bytes[i] = (byte) (seed + i);
        }
        return bytes;
    }

    /** The test-side node's bus: records what a delivers, and wants {@link #TYPE} (a local subscriber). */
    private static LoopbackBus peerBus() {
        final LoopbackBus bus = LoopbackBus.recording();
        bus.subscribeRaw(TYPE, (typeId, payload) -> { }, Delivery.INLINE);
        return bus;
    }
}
