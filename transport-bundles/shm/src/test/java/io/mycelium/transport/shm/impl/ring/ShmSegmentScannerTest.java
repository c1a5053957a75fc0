package io.mycelium.transport.shm.impl.ring;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class ShmSegmentScannerTest {

    @TempDir
    Path dir;

    private Process holder;

    @AfterEach
    void stopHolder() throws InterruptedException {
        if (holder != null) {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A segment whose owner process is gone: created and closed here (lock released), pid that does not run. */
    private Path staleSegment(final String name) throws IOException {
        final Path file = dir.resolve(name);
        ShmSegment.create(file, 4096, 4096, ShmChildProcess.DIGEST, 999_999_999L).close();
        return file;
    }

    private Path liveSegmentInChild(final String name) throws IOException {
        final Path file = dir.resolve(name);
        holder = ShmChildProcess.start("hold", file.toString());
        final BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8));
        assertEquals("READY", out.readLine(), "child holding " + file);
        return file;
    }

    @Test
    void shouldTellLiveFromStaleWhenScanning() throws IOException {
        final Path stale = staleSegment("alpha.shm.999999999.1");
        final Path live = liveSegmentInChild("alpha.shm." + 1 + ".2");
        Files.writeString(dir.resolve("notes.txt"), "not a segment");
        final List<ShmSegmentStatus> found = ShmSegmentScanner.scan(dir);
        assertEquals(2, found.size(), found.toString());
        final ShmSegmentStatus first = found.get(0);
        final ShmSegmentStatus second = found.get(1);
        assertEquals(live, first.path());
        assertEquals(ShmSegmentStatus.Liveness.LIVE, first.liveness(), first.detail());
        assertEquals(holder.pid(), first.ownerPid());
        assertTrue(first.heartbeatAgeMillis() >= 0);
        assertEquals(stale, second.path());
        assertEquals(ShmSegmentStatus.Liveness.STALE, second.liveness(), second.detail());
        assertEquals(999_999_999L, second.ownerPid());
        assertEquals(ShmRegionDescriptor.segmentLength(4096, 4096), second.size());
        assertTrue(second.detail().contains("gone"), second.detail());
    }

    @Test
    void shouldRemoveOnlyStaleWhenCleaning() throws IOException {
        final Path stale = staleSegment("alpha.shm.999999999.1");
        final Path live = liveSegmentInChild("alpha.shm.1.2");
        final List<ShmSegmentStatus> removed = ShmSegmentScanner.clean(dir);
        assertEquals(List.of(stale), removed.stream().map(ShmSegmentStatus::path).toList());
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(live));
    }

    @Test
    void shouldReclaimOnlyThisEndpointsStaleSegmentsWhenOwnerStarts() throws IOException {
        final Path mine = staleSegment("alpha.shm.999999999.1");
        final Path other = staleSegment("beta.shm.999999999.1");
        try (ShmSegment owned = ShmSegment.create(dir.resolve("alpha.shm.7.1"), 4096, 4096, ShmChildProcess.DIGEST,
                ProcessHandle.current().pid())) {
            final List<ShmSegmentStatus> removed = ShmSegmentScanner.reclaim(dir.resolve("alpha.shm"),
                    Set.of(owned.path()));
            assertEquals(List.of(mine), removed.stream().map(ShmSegmentStatus::path).toList());
            assertEquals(999_999_999L, removed.get(0).ownerPid());
            assertTrue(Files.exists(other), "another endpoint's file is not this owner's to reclaim");
            assertTrue(Files.exists(owned.path()));
        }
    }

    @Test
    void shouldKeepYoungLockFreeSegmentWhenPidAlive() throws IOException {
        // between create and lock: lock free, owner pid alive, file young
        final Path file = dir.resolve("alpha.shm." + ProcessHandle.current().pid() + ".1");
        ShmSegment.create(file, 4096, 4096, ShmChildProcess.DIGEST, ProcessHandle.current().pid()).close();
        assertEquals(ShmSegmentStatus.Liveness.LIVE, ShmSegmentScanner.scan(dir).get(0).liveness());
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
        final ShmSegmentStatus old = ShmSegmentScanner.scan(dir).get(0);
        assertEquals(ShmSegmentStatus.Liveness.STALE, old.liveness());
        assertTrue(old.detail().contains("another process now"), old.detail());
    }

    @Test
    void shouldJudgeControlSocketsByListenerWhenScanning() throws IOException {
        final Path listening = dir.resolve("live.shm");
        final Path leftover = dir.resolve("dead.shm");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             ServerSocketChannel closed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(listening));
            closed.bind(UnixDomainSocketAddress.of(leftover));
            closed.close();
            final List<ShmSegmentStatus> found = ShmSegmentScanner.scan(dir);
            assertEquals(2, found.size(), found.toString());
            assertEquals(ShmSegmentStatus.Kind.CONTROL_SOCKET, found.get(0).kind());
            assertEquals(leftover, found.get(0).path());
            assertEquals(ShmSegmentStatus.Liveness.STALE, found.get(0).liveness());
            assertEquals(ShmSegmentStatus.Liveness.LIVE, found.get(1).liveness());
            final List<ShmSegmentStatus> removed = ShmSegmentScanner.clean(dir);
            assertEquals(1, removed.size());
            assertFalse(Files.exists(leftover));
            assertTrue(Files.exists(listening));
        }
    }

    @Test
    void shouldReturnNothingWhenDirectoryMissing() throws IOException {
        assertEquals(List.of(), ShmSegmentScanner.scan(dir.resolve("none")));
        assertEquals(List.of(), ShmSegmentScanner.reclaim(dir.resolve("none").resolve("a.shm"), Set.of()));
    }

    @Test
    void shouldNameSegmentsAfterEndpointPidAndSequence() {
        assertEquals(Path.of("/dev/shm/mycelium/alpha.shm.4711.3"),
                ShmSegmentScanner.segmentPath(Path.of("/dev/shm/mycelium/alpha.shm"), 4711, 3));
    }
}
