package io.mycelium.benchmarks.bus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.mycelium.api.Message;
import io.mycelium.api.MessageType;

/**
 * A hand-written 64-byte message, shaped like generated code (final, immutable, with its {@link MessageType}):
 * u64 seq, then seven u64 fields.
 */
public final class BenchTick implements Message {

    /** The descriptor: type 4001, 64 bytes. */
    public static final MessageType<BenchTick> TYPE = new Type();

    private final long seq;
    private final long f1;
    private final long f2;
    private final long f3;
    private final long f4;
    private final long f5;
    private final long f6;
    private final long f7;

    /**
     * @param seq the sequence number; the other fields are derived from it
     */
    public BenchTick(final long seq) {
        this(seq, seq + 1, seq + 2, seq + 3, seq + 4, seq + 5, seq + 6, seq + 7);
    }

    private BenchTick(final long seq, final long f1, final long f2, final long f3, final long f4, final long f5,
                      final long f6, final long f7) {
        this.seq = seq;
        this.f1 = f1;
        this.f2 = f2;
        this.f3 = f3;
        this.f4 = f4;
        this.f5 = f5;
        this.f6 = f6;
        this.f7 = f7;
    }

    /** @return the sequence number */
    public long seq() {
        return seq;
    }

    @Override
    public MessageType<BenchTick> messageType() {
        return TYPE;
    }

    private static final class Type implements MessageType<BenchTick> {

        @Override
        public int typeId() {
            return 4001;
        }

        @Override
        public String name() {
            return "BenchTick";
        }

        @Override
        public String topic() {
            return "bench";
        }

        @Override
        public int size() {
            return 64;
        }

        @Override
        public Class<BenchTick> javaType() {
            return BenchTick.class;
        }

        @Override
        public void encode(final BenchTick m, final ByteBuffer buffer, final int offset) {
            final ByteBuffer b = buffer.order() == ByteOrder.LITTLE_ENDIAN ? buffer
                : buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(offset, m.seq).putLong(offset + 8, m.f1).putLong(offset + 16, m.f2)
                .putLong(offset + 24, m.f3).putLong(offset + 32, m.f4).putLong(offset + 40, m.f5)
                .putLong(offset + 48, m.f6).putLong(offset + 56, m.f7);
        }

        @Override
        public BenchTick decode(final ByteBuffer buffer, final int offset) {
            final ByteBuffer b = buffer.order() == ByteOrder.LITTLE_ENDIAN ? buffer
                : buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            return new BenchTick(b.getLong(offset), b.getLong(offset + 8), b.getLong(offset + 16),
                b.getLong(offset + 24), b.getLong(offset + 32), b.getLong(offset + 40), b.getLong(offset + 48),
                b.getLong(offset + 56));
        }
    }
}
