package io.mycelium.transport.shm.impl.ring;

import io.mycelium.protocol.handshake.HandshakeDescriptor;

/**
 * Every offset and constant of a shared-memory segment (docs/wire.md §7): the 4096-byte header, the two ring control
 * blocks and the record layout. Holds constants only; all multi-byte fields are little-endian.
 *
 * <pre>
 * Segment file: header (4096) | ring 0 (512 + C0, server -&gt; client) | ring 1 (512 + C1, client -&gt; server)
 *
 * Header
 *   0    8  magic "MYCSHM01"              48  4  capacity C0        68  4  state (0 creating, 1 ready,
 *   8    4  layout version = 1            52  4  capacity C1                  2 closed by server, 3 by client)
 *  12    4  header length = 4096          56  4  max record length  72  8  server heartbeat (epoch ms)
 *  16   32  schema digest (the server's)  60  4  server pid         80  8  client heartbeat (epoch ms)
 *                                         64  4  client pid         88 ..  zero
 * Ring control block (ring = 4096 for ring 0, 4096 + 512 + C0 for ring 1)
 *   ring + 0    u64 tail              (producer only, own 128-byte line)
 *   ring + 128  u64 head              (consumer only, own 128-byte line)
 *   ring + 256  u32 consumer_waiting  (own line)
 *   ring + 384  reserved
 *   ring + 512  data, C bytes (C a power of two)
 * Record (8-byte aligned, never split across the end of the data)
 *   0  i32 length (8 + frame bytes; the slot occupies align8(length))   4  i32 kind (1 frame, -1 padding)
 *   8  frame: u16 type id, u32 payload length, payload (docs/wire.md §4)
 * </pre>
 */
public final class ShmRegionDescriptor {

    /** "MYCSHM01" as ASCII bytes. */
    public static final String MAGIC_TEXT = "MYCSHM01";
    /** The magic read as one little-endian u64 at offset 0. */
    public static final long MAGIC = 0x31304D485343594DL;
    public static final int LAYOUT_VERSION = 1;
    public static final int HEADER_LENGTH = 4096;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 8;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int DIGEST_OFFSET = 16;
    public static final int DIGEST_LENGTH = 32;
    public static final int CAPACITY_0_OFFSET = 48;
    public static final int CAPACITY_1_OFFSET = 52;
    public static final int MAX_RECORD_LENGTH_OFFSET = 56;
    public static final int SERVER_PID_OFFSET = 60;
    public static final int CLIENT_PID_OFFSET = 64;
    public static final int STATE_OFFSET = 68;
    public static final int SERVER_HEARTBEAT_OFFSET = 72;
    public static final int CLIENT_HEARTBEAT_OFFSET = 80;
    /** First byte after the defined header fields; the rest of the header is zero. */
    public static final int HEADER_FIELDS_END = 88;

    public static final int STATE_CREATING = 0;
    public static final int STATE_READY = 1;
    public static final int STATE_CLOSED_BY_SERVER = 2;
    public static final int STATE_CLOSED_BY_CLIENT = 3;

    /** Ring 0 carries server -&gt; client, ring 1 client -&gt; server. */
    public static final int RING_SERVER_TO_CLIENT = 0;
    public static final int RING_CLIENT_TO_SERVER = 1;

    /** Bytes of control block before a ring's data. */
    public static final int RING_CONTROL_LENGTH = 512;
    public static final int TAIL_OFFSET = 0;
    public static final int HEAD_OFFSET = 128;
    public static final int CONSUMER_WAITING_OFFSET = 256;
    public static final int RESERVED_OFFSET = 384;

    /** Smallest ring capacity; capacities are powers of two. */
    public static final int MIN_CAPACITY = HandshakeDescriptor.MIN_SHM_CAPACITY;
    /** Largest ring capacity (1 GiB) so that the file size and every index fit an int. */
    public static final int MAX_CAPACITY = HandshakeDescriptor.MAX_SHM_CAPACITY;

    public static final int RECORD_ALIGNMENT = 8;
    public static final int RECORD_HEADER_LENGTH = 8;
    public static final int RECORD_LENGTH_OFFSET = 0;
    public static final int RECORD_KIND_OFFSET = 4;
    public static final int KIND_FRAME = 1;
    public static final int KIND_PADDING = -1;

    /** Interval at which the owner writes its heartbeat word. */
    public static final long HEARTBEAT_INTERVAL_MILLIS = 250;

    private ShmRegionDescriptor() {
    }

    /** Offset of ring {@code ring} (0 or 1) in a segment whose ring 0 has capacity {@code capacity0}. */
    public static int ringOffset(final int ring, final int capacity0) {
        return ring == 0 ? HEADER_LENGTH : HEADER_LENGTH + RING_CONTROL_LENGTH + capacity0;
    }

    /** Offset of ring data relative to the ring's start. */
    public static int dataOffset() {
        return RING_CONTROL_LENGTH;
    }

    /** Exact size of a segment file with these capacities: {@code 4096 + (512 + C0) + (512 + C1)}. */
    public static long segmentLength(final int capacity0, final int capacity1) {
        return (long) HEADER_LENGTH + RING_CONTROL_LENGTH + capacity0 + RING_CONTROL_LENGTH + capacity1;
    }

    /** Max record length stored in the header: {@code min(C0, C1) / 8}. */
    public static int maxRecordLength(final int capacity0, final int capacity1) {
        return Math.min(capacity0, capacity1) / 8;
    }

    /** Longest frame (type id + length + payload) a sender may write into rings with this max record length. */
    public static int maxFrameLength(final int maxRecordLength) {
        return maxRecordLength - RECORD_HEADER_LENGTH;
    }

    /** {@code length} rounded up to the record alignment. */
    public static int align(final int length) {
        return (length + RECORD_ALIGNMENT - 1) & -RECORD_ALIGNMENT;
    }

    /** Whether {@code capacity} is a power of two in [{@link #MIN_CAPACITY}, {@link #MAX_CAPACITY}]. */
    public static boolean isValidCapacity(final long capacity) {
        return capacity >= MIN_CAPACITY && capacity <= MAX_CAPACITY && Long.bitCount(capacity) == 1;
    }

    /**
     * Checks the arguments of a ring view: a power-of-two capacity in range, a max record length of at least one record
     * header and at most the capacity, a ring that lies inside the buffer at an 8-byte-aligned offset.
     *
     * @throws IllegalArgumentException naming the bad value and the limit
     */
    static void checkRing(final java.nio.ByteBuffer buffer, final int ringOffset, final int capacity,
            final int maxRecordLength) {
        if (!isValidCapacity(capacity)) {
            throw new IllegalArgumentException("ring capacity " + capacity + " is not a power of two in "
                    + MIN_CAPACITY + ".." + MAX_CAPACITY);
        }
        if (maxRecordLength < RECORD_HEADER_LENGTH || maxRecordLength > capacity) {
            throw new IllegalArgumentException("max record length " + maxRecordLength + " is not in "
                    + RECORD_HEADER_LENGTH + ".." + capacity);
        }
        if (ringOffset < 0 || (ringOffset & (RECORD_ALIGNMENT - 1)) != 0
                || (long) ringOffset + RING_CONTROL_LENGTH + capacity > buffer.capacity()) {
            throw new IllegalArgumentException("ring at offset " + ringOffset + " with capacity " + capacity
                    + " does not lie 8-byte aligned inside a buffer of " + buffer.capacity() + " bytes");
        }
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("a ring needs a direct (mapped) buffer: atomic access modes do not"
                    + " work on heap buffers");
        }
    }
}
