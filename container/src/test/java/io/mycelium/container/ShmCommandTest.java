package io.mycelium.container;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.transport.shm.impl.ring.ShmSegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code mycelium shm list|clean} on a temporary directory holding a stale segment (its owner is gone) and a live one
 * (a child process holds its lock).
 */
class ShmCommandTest {

    private static final SchemaDigest DIGEST = SchemaDigest.compute("shm command".getBytes());

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Process holder;

    /** A second process: creates and locks the segment named by its argument, says READY, holds it until stdin ends. */
    public static void main(final String[] args) throws Exception {
        try (ShmSegment segment = ShmSegment.create(Path.of(args[0]), 4096, 4096, DIGEST,
                ProcessHandle.current().pid())) {
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() >= 0) {
                continue;
            }
        }
    }

    @AfterEach
    void stopHolder() throws InterruptedException {
        if (holder != null) {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Path live() throws Exception {
        final Path file = dir.resolve("alpha.shm.1.1");
        holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ShmCommandTest.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertEquals("READY", new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8)).readLine());
        return file;
    }

    private Path stale() throws Exception {
        final Path file = dir.resolve("alpha.shm.999999999.2");
        ShmSegment.create(file, 4096, 4096, DIGEST, 999_999_999L).close();
        return file;
    }

    private int run(final String... args) throws UsageException {
        return new ShmCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(ShmOptions.parse(args));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldListLiveAndStaleSegmentsWithPidSizeAndHeartbeat() throws Exception {
        final Path live = live();
        final Path stale = stale();
        assertEquals(0, run("list", "--dir", dir.toString()));
        final String text = stdout();
        assertTrue(text.contains("live") && text.contains(live.toString()) && text.contains(
                Long.toString(holder.pid())), text);
        assertTrue(text.contains("stale") && text.contains(stale.toString()) && text.contains("999999999"), text);
        assertTrue(text.contains("13.0 KiB"), text);
        assertTrue(text.contains("2 files, 1 stale; remove them with: mycelium shm clean --dir " + dir), text);
    }

    @Test
    void shouldRemoveOnlyStaleSegmentWhenCleaning() throws Exception {
        final Path live = live();
        final Path stale = stale();
        assertEquals(0, run("clean", "--dir", dir.toString()));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(live));
        assertTrue(stdout().contains("removed stale segment " + stale + " of pid 999999999"), stdout());
        assertTrue(stdout().contains("removed 1 stale file; kept 1 live"), stdout());
        out.reset();
        assertEquals(0, run("clean", "--dir", dir.toString()));
        assertTrue(stdout().contains("nothing stale in " + dir + "; kept 1 live"), stdout());
    }

    @Test
    void shouldSayNothingFoundWhenDirectoryMissing() throws Exception {
        assertEquals(0, run("list", "--dir", dir.resolve("none").toString()));
        assertTrue(stdout().contains("no shared-memory segments or control sockets in " + dir.resolve("none")));
    }

    @Test
    void shouldRefuseBadCommandLines() {
        assertThrows(UsageException.class, () -> ShmOptions.parse(new String[0]));
        assertThrows(UsageException.class, () -> ShmOptions.parse(new String[] {"list", "clean"}));
        assertThrows(UsageException.class, () -> ShmOptions.parse(new String[] {"list", "--dir"}));
        assertThrows(UsageException.class, () -> ShmOptions.parse(new String[] {"purge"}));
        assertTrue(assertDoesNotThrow(() -> ShmOptions.parse(new String[] {"--help"})).help());
        assertEquals(Path.of("/dev/shm/mycelium"), assertDoesNotThrow(() -> ShmOptions.parse(
                new String[] {"list"})).dir());
    }
}
