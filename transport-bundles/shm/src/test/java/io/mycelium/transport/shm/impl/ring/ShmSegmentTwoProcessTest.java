package io.mycelium.transport.shm.impl.ring;

import io.mycelium.protocol.layout.LittleEndian;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The owner here, the attaching side in a child JVM: frames cross the mapped file both ways in order. */
class ShmSegmentTwoProcessTest {

    private static final int COUNT = 20_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldEchoEveryFrameInOrderWhenPeerIsAnotherProcess() throws Exception {
        final Path file = dir.resolve("echo.shm." + ProcessHandle.current().pid() + ".1");
        try (ShmSegment segment = ShmSegment.create(file, 4096, 4096, ShmChildProcess.DIGEST,
                ProcessHandle.current().pid())) {
            final Process child = ShmChildProcess.start("echo", file.toString(), Integer.toString(COUNT));
            try {
                final SpscFrameRingProducer out = segment.outboundProducer();
                final SpscFrameRingConsumer in = segment.inboundConsumer();
                final ByteBuffer payload = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                final long[] echoed = {0};
                final ShmFrameHandler check = (b, index, length) -> {
                    assertEquals(echoed[0], (long) LittleEndian.I64.get(b, index + 6));
                    echoed[0]++;
                };
                long sent = 0;
                while (echoed[0] < COUNT) {
                    assertTrue(child.isAlive() || in.read(check, 64) > 0 || echoed[0] == COUNT,
                            "child exited with " + (child.isAlive() ? "-" : child.exitValue()));
                    if (sent < COUNT) {
                        payload.putLong(0, sent);
                        if (out.offer(1, payload, 0, 8) == SpscFrameRingProducer.OK) {
                            sent++;
                        }
                    }
                    in.read(check, 64);
                }
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, child.exitValue());
                assertTrue(in.isEmpty());
            } finally {
                child.destroyForcibly();
            }
        }
    }
}
