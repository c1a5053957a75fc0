package io.mycelium.transport.aeron.record;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.ConcurrentPublication;
import io.aeron.Publication;
import io.aeron.ReservedValueSupplier;
import io.mycelium.api.ConfigurationException;
import io.mycelium.api.MessageType;
import io.mycelium.api.MyceliumException;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Schema;
import io.mycelium.api.Subscription;
import io.mycelium.api.link.InterestListener;
import io.mycelium.api.link.LinkBus;
import io.mycelium.logging.LogLimiter;
import io.mycelium.protocol.frame.FrameDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.slf4j.Logger;

/**
 * The recording and replay of one node, from its Aeron transport configuration (written by the topology from
 * {@code record = [...]}):
 * <ul>
 * <li>a node that records ({@value #RECORD_TYPES}) runs a {@link RecordingArchive} on its driver and offers every
 * local publish of those types, as a WIRE frame, on one local (IPC) publication the archive records.
 * Its links do not send those types (see {@link #linkBus}): subscribers get them from the recorded stream only, so
 * nothing arrives twice;</li>
 * <li>a node whose peers record ({@value #RECORDED_PEERS}) starts, at the first local interest in one of a peer's
 * recorded types, a {@link ReplayCatchUp} that replays what it missed from the peer's archive and follows the
 * recording from there (live),
 * delivering to the local bus like a link (never echoed, never forwarded).</li>
 * </ul>
 * Ports: a recording node with Aeron endpoint {@code host:port} uses {@code port + 2} for its archive's control
 * channel (replays go to an ephemeral port of the subscriber). The archive's files are under
 * {@code <data>/aeron-archive/<node>}, subscribers' checkpoints under {@code <data>/aeron-replay/<node>}.
 *
 * <p><b>Threading:</b> {@link #start} and {@link #close} from the owning component; taps on publisher threads; one
 * thread ({@code aeron-replay-<node>}, back-off idle parking up to 1 ms) runs the catch-ups and the retention;
 * {@link #counters()} from any thread.
 */
public final class NodeRecording implements AutoCloseable {

    /** Property: this node's recorded types' names, comma separated. */
    public static final String RECORD_TYPES = "record.types";
    /** Property: this node's retention ({@link RecordingRetention#parse}). */
    public static final String RECORD_RETENTION = "record.retention";
    /** Property: {@code peer=TypeA,TypeB} entries separated by {@code ;}, for every peer that records. */
    public static final String RECORDED_PEERS = "recorded.peers";
    /** Stamps a recorded frame with its publish time (epoch ms): Aeron's header has 8 bytes for that, free. */
    private static final ReservedValueSupplier PUBLISH_TIME = (termBuffer, termOffset, frameLength) ->
            System.currentTimeMillis();
    /** The Aeron stream id of recorded streams ("RC"). */
    static final int STREAM_ID = 0x5243;
    private static final long RETENTION_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long STOP_WAIT_MILLIS = 2_000;

    private final String node;
    private final LinkBus bus;
    private final Schema schema;
    private final Logger log;
    private final Aeron aeron;
    private final RecordingArchive archive;
    private final RecordingRetention retention;
    private final ConcurrentPublication publication;
    private final IntHashSet recorded = new IntHashSet();
    private final List<Subscription> taps = new ArrayList<>();
    private final Map<String, RecordingPeer> peers = new LinkedHashMap<>();
    private final ManyToOneConcurrentArrayQueue<Runnable> commands = new ManyToOneConcurrentArrayQueue<>(1024);
    private final AtomicLong recordedFrames = new AtomicLong();
    private final AtomicLong recordDropped = new AtomicLong();
    private final LogLimiter dropWarnings = new LogLimiter(Duration.ofSeconds(10));
    private final String subscriberHost;
    private final Path replayDir;
    private final ReplayStart replayStart;
    /** The replay thread's copy of a delivered payload. */
    private final ByteBuffer receive = ByteBuffer.allocate(64 * 1024);
    private AutoCloseable interestWatch;
    private Thread thread;
    private volatile boolean running;

    private NodeRecording(final String node, final LinkBus bus, final Schema schema, final Logger log,
                          final Aeron aeron, final RecordingArchive archive, final RecordingRetention retention,
                          final ConcurrentPublication publication, final String subscriberHost,
                          final Path replayDir, final ReplayStart replayStart) {
        this.node = node;
        this.bus = bus;
        this.schema = schema;
        this.log = log;
        this.aeron = aeron;
        this.archive = archive;
        this.retention = retention;
        this.publication = publication;
        this.subscriberHost = subscriberHost;
        this.replayDir = replayDir;
        this.replayStart = replayStart;
    }

    /**
     * Starts what the properties ask for, or nothing when this node neither records nor has recording peers.
     *
     * @param pid        the configuration's PID, for messages
     * @param node       this node's name
     * @param properties the configuration
     * @param listen     this node's Aeron channel (its host and port place the archive), or empty
     * @param peerChannels peer name to Aeron channel
     * @param aeronDir   the media driver's directory
     * @param dataDir    the node's data folder
     * @param bus        the node's bus
     * @param schema     the schema the recorded types are named in
     * @param log        where to say what happens
     * @return the running recording, or null when there is nothing to do
     * @throws ConfigurationException naming the PID, property and value when a type is unknown, a retention or
     *                                channel is bad, or the archive cannot start
     */
    public static NodeRecording start(final String pid, final String node, final Map<String, Object> properties,
                                      final String listen, final Map<String, String> peerChannels,
                                      final Path aeronDir, final Path dataDir, final LinkBus bus, final Schema schema,
                                      final Logger log) {
        final String types = string(properties, RECORD_TYPES);
        final String recordedPeers = string(properties, RECORDED_PEERS);
        if (types.isEmpty() && recordedPeers.isEmpty()) {
            return null;
        }
        if (listen.isEmpty()) {
            throw new ConfigurationException(pid + ": node " + node + " records or replays but has no Aeron channel"
                    + " of its own; give it endpoint.kind = \"aeron\" with host and port in the topology");
        }
        final ChannelUri self = ChannelUri.parse(listen);
        final String endpoint = self.get("endpoint");
        final String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
        final int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        final RecordingRetention retention = string(properties, RECORD_RETENTION).isEmpty()
                ? RecordingRetention.UNBOUNDED
                : RecordingRetention.parse(pid + ": " + RECORD_RETENTION, string(properties, RECORD_RETENTION));
        final IntHashSet recordedIds = new IntHashSet();
        for (final String name : list(types, ",")) {
            recordedIds.add(typeId(pid, RECORD_TYPES, name, schema));
        }
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.toString())
                .errorHandler(e -> log.warn("aeron replay client of node {}: {}", node, e.toString())));
        RecordingArchive archive = null;
        ConcurrentPublication publication = null;
        try {
            if (!recordedIds.isEmpty()) {
                archive = RecordingArchive.launch(dataDir.resolve("aeron-archive").resolve(node).toAbsolutePath(),
                        aeronDir, host, port + 2, node, log);
                // recording first, so the archive's subscription is there before the first offer
                archive.record(RecordedChannels.RECORDED, STREAM_ID);
                publication = aeron.addPublication(RecordedChannels.publication(), STREAM_ID);
            }
            final NodeRecording recording = new NodeRecording(node, bus, schema, log, aeron, archive, retention,
                    publication, host, dataDir.resolve("aeron-replay").resolve(node).toAbsolutePath(),
                    replayStart(node, log));
            recording.recorded.addAll(recordedIds);
            recording.peers(pid, recordedPeers, peerChannels);
            recording.begin(types);
            return recording;
        } catch (final RuntimeException e) {
            if (archive != null) {
                archive.close();
            }
            aeron.close();
            throw e;
        }
    }

    /**
     * Reads {@value ReplayStart#PROPERTY} from the framework (etc/config.properties, or -D), or the system properties
     * outside a framework. A bad value is an ERROR naming the property and value, and the default (all retained
     * history) is used: the links and the recording are not stopped for it.
     */
    private static ReplayStart replayStart(final String node, final Logger log) {
        final Bundle bundle = FrameworkUtil.getBundle(NodeRecording.class);
        final BundleContext context = bundle == null ? null : bundle.getBundleContext();
        final String value = context == null ? System.getProperty(ReplayStart.PROPERTY)
                : context.getProperty(ReplayStart.PROPERTY);
        try {
            final ReplayStart start = ReplayStart.parse("etc/config.properties", value);
            if (start != ReplayStart.ALL) {
                log.info("node {}: a first join of a recorded stream starts at {} ({})", node, start,
                        ReplayStart.PROPERTY);
            }
            return start;
        } catch (final ConfigurationException e) {
            log.error("node {}: {}; using all (every retained message) instead", node, e.getMessage());
            return ReplayStart.ALL;
        }
    }

    private void peers(final String pid, final String entries, final Map<String, String> peerChannels) {
        for (final String entry : list(entries, ";")) {
            final int eq = entry.indexOf('=');
            final String peer = eq < 0 ? entry : entry.substring(0, eq).trim();
            final String channel = peerChannels.get(peer);
            if (eq <= 0) {
                throw new ConfigurationException(pid + ": " + RECORDED_PEERS + " entry '" + entry + "' is not"
                        + " peer=TypeA,TypeB");
            }
            if (channel == null) {
                // the topology warned already that this node cannot reach it (no address for the route)
                log.warn("node {}: node {} records {}, but it is not an Aeron peer of this node (peers: {}), so its"
                        + " recordings are not replayed here", node, peer, entry.substring(eq + 1),
                        peerChannels.keySet());
                continue;
            }
            final IntHashSet ids = new IntHashSet();
            for (final String name : list(entry.substring(eq + 1), ",")) {
                ids.add(typeId(pid, RECORDED_PEERS + " of " + peer, name, schema));
            }
            final String endpoint = ChannelUri.parse(channel).get("endpoint");
            final String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
            final int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
            peers.put(peer, new RecordingPeer(peer, host, port, ids));
        }
    }

    private void begin(final String types) {
        recorded.forEach(typeId -> taps.add(bus.tap(typeId, new Recorder(typeId, schema.type(typeId).size()))));
        if (!peers.isEmpty()) {
            interestWatch = bus.watchInterest((InterestListener) (typeId, interested) -> {
                if (interested && !commands.offer(() -> onInterest(typeId))) {
                    log.error("node {}: replay command queue full; the interest in type {} starts no replay",
                            node, typeId);
                }
            });
        }
        running = true;
        thread = new Thread(this::run, "aeron-replay-" + node);
        thread.setDaemon(true);
        thread.start();
        if (archive != null) {
            log.info("node {}: recording {} on {} (stream {}), retention: {}", node, types,
                    publication.channel(), STREAM_ID, retention);
        }
    }

    /**
     * Returns the bus the node's links must use: the same bus, except that links never send a type this node
     * records (it reaches subscribers through the recorded stream, once).
     *
     * @return the bus for the links
     */
    public LinkBus linkBus() {
        return new LinkBus() {
            @Override
            public void deliverFromPeer(final int typeId, final ByteBuffer payload) {
                bus.deliverFromPeer(typeId, payload);
            }

            @Override
            public Subscription tap(final int typeId, final RawMessageHandler handler) {
                return bus.tap(typeId, recorded.contains(typeId) ? (t, p) -> { } : handler);
            }

            @Override
            public AutoCloseable watchInterest(final InterestListener listener) {
                return bus.watchInterest(listener);
            }
        };
    }

    private void onInterest(final int typeId) {
        for (final RecordingPeer peer : peers.values()) {
            if (peer.types.contains(typeId) && peer.catchUp == null) {
                peer.catchUp = new ReplayCatchUp(aeron, peer.name, peer.host, peer.port + 2,
                        subscriberHost, STREAM_ID, ReplayCheckpoint.open(replayDir.resolve(peer.name + ".pos")),
                        replayStart, this::deliver, log);
                peer.catchUp.start();
            }
        }
    }

    /** A frame of a recorded stream, replayed or live: delivered locally like a link's. Replay thread. */
    private void deliver(final DirectBuffer buffer, final int offset, final int length,
                         final io.aeron.logbuffer.Header header) {
        final int typeId = buffer.getShort(offset + FrameDescriptor.TYPE_ID_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int size = buffer.getInt(offset + FrameDescriptor.LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final MessageType<?> type = schema.type(typeId);
        if (type == null || type.size() != size || size != length - FrameDescriptor.HEADER_LENGTH
                || size > receive.capacity()) {
            recordDropped.incrementAndGet();
            warnDrop("a recorded frame of type " + typeId + " and " + size + " bytes that this node's schema does"
                    + " not have (or with another size) was skipped");
            return;
        }
        receive.clear();
        buffer.getBytes(offset + FrameDescriptor.HEADER_LENGTH, receive, 0, size);
        receive.limit(size);
        try {
            bus.deliverFromPeer(typeId, receive);
        } catch (final MyceliumException | IllegalArgumentException e) {
            recordDropped.incrementAndGet();
            warnDrop("delivering a recorded frame of type " + typeId + " failed: " + e.getMessage());
        }
    }

    private void warnDrop(final String text) {
        final long more = dropWarnings.tryAcquire();
        if (more != LogLimiter.SUPPRESSED) {
            log.warn("node {}: {}{}", node, text, dropWarnings.summary(more));
        }
    }

    private void run() {
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
        long nextRetention = System.nanoTime() + RETENTION_INTERVAL_NANOS;
        while (running) {
            int work = commands.drain(Runnable::run);
            for (final RecordingPeer peer : peers.values()) {
                if (peer.catchUp != null) {
                    work += peer.catchUp.poll();
                }
            }
            if (archive != null && System.nanoTime() - nextRetention >= 0) {
                nextRetention = System.nanoTime() + RETENTION_INTERVAL_NANOS;
                try {
                    archive.applyRetention(retention);
                } catch (final RuntimeException e) {
                    log.warn("node {}: applying the archive's retention ({}) failed: {}", node, retention,
                            e.toString());
                }
            }
            idle.idle(work);
        }
    }

    /**
     * Returns the counters for the transport's stats: {@code record.frames}, {@code record.dropped},
     * {@code record.disk.bytes} (0 on a node that does not record), and over all replayed peers
     * {@code replay.messages}, {@code replay.live.messages}, {@code replay.lost.bytes}, {@code replay.problems} and
     * {@code replay.skipped.messages} (published before {@value ReplayStart#PROPERTY}, read but not delivered).
     * Any thread.
     *
     * @return counter name to value
     */
    public Map<String, Long> counters() {
        final Map<String, Long> out = new LinkedHashMap<>();
        out.put("record.frames", recordedFrames.get());
        out.put("record.dropped", recordDropped.get());
        out.put("record.disk.bytes", archive == null ? 0 : archive.diskBytes());
        long replayed = 0;
        long live = 0;
        long lost = 0;
        long problems = 0;
        long skipped = 0;
        for (final RecordingPeer peer : peers.values()) {
            final ReplayCatchUp c = peer.catchUp;
            if (c != null) {
                skipped += c.skipped();
                replayed += c.replayed();
                live += c.live();
                lost += c.lostBytes();
                problems += c.failures();
            }
        }
        out.put("replay.messages", replayed);
        out.put("replay.live.messages", live);
        out.put("replay.lost.bytes", lost);
        out.put("replay.problems", problems);
        out.put("replay.skipped.messages", skipped);
        return out;
    }

    /** Stops the replay thread, the taps, the recording and the archive. */
    @Override
    public void close() {
        running = false;
        taps.forEach(Subscription::close);
        if (interestWatch != null) {
            try {
                interestWatch.close();
            } catch (final Exception e) {
                log.warn("node {}: closing the replay's interest watch: {}", node, e.toString());
            }
        }
        if (thread != null) {
            try {
                thread.join(STOP_WAIT_MILLIS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (final RecordingPeer peer : peers.values()) {
            if (peer.catchUp != null) {
                peer.catchUp.close();
            }
        }
        if (publication != null) {
            publication.close();
        }
        if (archive != null) {
            archive.close();
        }
        aeron.close();
    }

    private static int typeId(final String pid, final String property, final String name, final Schema schema) {
        for (final MessageType<?> type : schema.types()) {
            if (type.name().equals(name)) {
                return type.typeId();
            }
        }
        final List<String> known = new ArrayList<>();
        schema.types().forEach(t -> known.add(t.name()));
        throw new ConfigurationException(pid + ": " + property + " names type '" + name + "', which schema "
                + schema.id() + " does not have (its types: " + known + "); fix record = [...] in the topology");
    }

    private static String string(final Map<String, Object> properties, final String key) {
        final Object value = properties.get(key);
        return value == null ? "" : value.toString().trim();
    }

    private static List<String> list(final String text, final String separator) {
        final List<String> out = new ArrayList<>();
        for (final String part : text.split(separator)) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /** One peer that records: where it is, what it records, and the catch-up once this node wants its types. */
    private static final class RecordingPeer {
        final String name;
        final String host;
        final int port;
        final IntHashSet types;
        ReplayCatchUp catchUp;

        RecordingPeer(final String name, final String host, final int port, final IntHashSet types) {
            this.name = name;
            this.host = host;
            this.port = port;
            this.types = types;
        }
    }

    /**
     * The tap of one recorded type: offers each local publish to the recorded publication, its publish time (epoch
     * ms) in the Aeron frame header's reserved value, which the archive keeps and replays, so a subscriber can
     * start at a time ({@link ReplayStart}). Any publisher thread.
     */
    private final class Recorder implements RawMessageHandler {
        private final UnsafeBuffer frameHeader = new UnsafeBuffer(new byte[FrameDescriptor.HEADER_LENGTH]);
        private final ThreadLocal<UnsafeBuffer> views = ThreadLocal.withInitial(UnsafeBuffer::new);
        private final int size;

        Recorder(final int typeId, final int size) {
            this.size = size;
            frameHeader.putShort(FrameDescriptor.TYPE_ID_OFFSET, (short) typeId, ByteOrder.LITTLE_ENDIAN);
            frameHeader.putInt(FrameDescriptor.LENGTH_OFFSET, size, ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void onMessage(final int typeId, final ByteBuffer payload) {
            final UnsafeBuffer view = views.get();
            view.wrap(payload, payload.position(), payload.remaining());
            long result;
            int attempts = 0;
            // back pressure only from the archive (subscribers read replays, never this publication), when it fell a
            // window (2 MiB) behind: a short bounded retry, then counted as dropped
            while ((result = publication.offer(frameHeader, 0, FrameDescriptor.HEADER_LENGTH, view, 0, size,
                    PUBLISH_TIME)) < 0
                    && (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
                    && ++attempts < 1_000) {
                Thread.onSpinWait();
            }
            if (result > 0) {
                recordedFrames.incrementAndGet();
            } else {
                recordDropped.incrementAndGet();
                warnDrop("a publish of recorded type " + typeId + " was not recorded (Aeron offer result " + result
                        + "); subscribers will see a gap in its sequence");
            }
        }
    }
}
