package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.transport.shm.impl.ring.ShmSegment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mycelium shm list|clean} as a user runs it from the distribution, on a directory holding a stale segment
 * (its owner pid is gone and its lock is free) and a live one (this test JVM, another process than the command,
 * holds its lock): list tells them apart, clean removes only the stale one and says so, a bad command line exits 2.
 */
class ShmCommandIT {

    private static final SchemaDigest DIGEST = SchemaDigest.compute("shm command it".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    @Test
    void shouldListAndCleanOnlyStaleSegmentsWhenRunFromDistribution() throws Exception {
        final Path stale = dir.resolve("alpha.shm.999999999.1");
        ShmSegment.create(stale, 4096, 4096, DIGEST, 999_999_999L).close();
        try (ShmSegment live = ShmSegment.create(dir.resolve("alpha.shm." + ProcessHandle.current().pid() + ".2"),
                4096, 4096, DIGEST, ProcessHandle.current().pid())) {
            final DistributionCommand list = shm("list", "--dir", dir.toString());
            assertEquals(0, list.exit(), list.output());
            assertTrue(list.output().contains("live") && list.output().contains(live.path().toString()),
                    list.output());
            assertTrue(list.output().contains("stale") && list.output().contains(stale.toString()), list.output());
            assertTrue(list.output().contains("2 files, 1 stale"), list.output());

            final DistributionCommand clean = shm("clean", "--dir", dir.toString());
            assertEquals(0, clean.exit(), clean.output());
            assertTrue(clean.output().contains("removed stale segment " + stale + " of pid 999999999"),
                    clean.output());
            assertFalse(Files.exists(stale));
            assertTrue(Files.exists(live.path()), "the live segment stays");
        }
        final DistributionCommand usage = shm("purge");
        assertEquals(2, usage.exit(), usage.output());
        assertTrue(usage.output().contains("Usage: mycelium shm list|clean"), usage.output());
    }

    private static DistributionCommand shm(final String... args) throws Exception {
        final String[] command = new String[args.length + 1];
        command[0] = "shm";
        System.arraycopy(args, 0, command, 1, args.length);
        return DistributionCommand.run(command);
    }
}
