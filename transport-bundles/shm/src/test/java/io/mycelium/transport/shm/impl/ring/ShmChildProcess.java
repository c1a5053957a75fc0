package io.mycelium.transport.shm.impl.ring;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.layout.LittleEndian;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A second process for the shared-memory tests (started with {@link #start}):
 * {@code hold PATH} creates and locks a segment, prints READY and holds it until its stdin closes;
 * {@code echo PATH COUNT} attaches to a segment, reads COUNT sequence-numbered frames from ring 0 and writes each
 * sequence back on ring 1, then exits 0 (exit 3 on a wrong frame).
 */
public final class ShmChildProcess {

    static final SchemaDigest DIGEST = SchemaDigest.compute("shm child".getBytes());

    private ShmChildProcess() {
    }

    /** Starts this class in a new JVM with the test class path. */
    static Process start(final String... args) throws IOException {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final String[] command = new String[4 + args.length];
        command[0] = java;
        command[1] = "-cp";
        command[2] = System.getProperty("java.class.path");
        command[3] = ShmChildProcess.class.getName();
        System.arraycopy(args, 0, command, 4, args.length);
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    public static void main(final String[] args) throws Exception {
        final Path path = Path.of(args[1]);
        if (args[0].equals("hold")) {
            try (ShmSegment segment = ShmSegment.create(path, 4096, 4096, DIGEST, ProcessHandle.current().pid())) {
                System.out.println("READY");
                System.out.flush();
                while (System.in.read() >= 0) {
                    continue;
                }
            }
            return;
        }
        final long count = Long.parseLong(args[2]);
        try (ShmSegment segment = ShmSegment.attach(path, 4096, 4096, DIGEST)) {
            final SpscFrameRingConsumer in = segment.inboundConsumer();
            final SpscFrameRingProducer out = segment.outboundProducer();
            final ByteBuffer reply = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            final long[] next = {0};
            final long deadline = System.nanoTime() + 60_000_000_000L;
            while (next[0] < count && System.nanoTime() < deadline) {
                in.read((b, index, length) -> {
                    final long sequence = (long) LittleEndian.I64.get(b, index + 6);
                    if (sequence != next[0]) {
                        System.err.println("expected sequence " + next[0] + " but got " + sequence);
                        System.exit(3);
                    }
                    reply.putLong(0, sequence);
                    while (out.offer(2, reply, 0, 8) != SpscFrameRingProducer.OK) {
                        Thread.onSpinWait();
                    }
                    next[0]++;
                }, 64);
            }
            System.exit(next[0] == count ? 0 : 4);
        }
    }
}
