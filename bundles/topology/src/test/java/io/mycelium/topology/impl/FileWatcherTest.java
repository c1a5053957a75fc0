package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWatcherTest {

    @Test
    void shouldCallBackOncePerChangeWhenFileEditedRemovedAndRecreated(@TempDir final Path dir) throws Exception {
        final Path file = Files.writeString(dir.resolve("topology.toml"), "v1");
        final Semaphore changes = new Semaphore(0);
        try (FileWatcher watcher = new FileWatcher(file, Duration.ofMillis(20), changes::release)) {
            assertEquals(false, changes.tryAcquire(100, TimeUnit.MILLISECONDS), "no change, no call");
            Files.writeString(file, "v2");
            assertTrue(changes.tryAcquire(5, TimeUnit.SECONDS), "edit noticed");
            Files.delete(file);
            assertTrue(changes.tryAcquire(5, TimeUnit.SECONDS), "removal noticed");
            Files.writeString(file, "v3");
            assertTrue(changes.tryAcquire(5, TimeUnit.SECONDS), "re-creation noticed");
        }
    }

    @Test
    void shouldKeepPollingWhenCallbackThrows(@TempDir final Path dir) throws Exception {
        final Path file = Files.writeString(dir.resolve("topology.toml"), "v1");
        final Semaphore calls = new Semaphore(0);
        try (FileWatcher watcher = new FileWatcher(file, Duration.ofMillis(20), () -> {
            calls.release();
            throw new IllegalStateException("boom (expected by the test)");
        })) {
            Files.writeString(file, "v2");
            assertTrue(calls.tryAcquire(5, TimeUnit.SECONDS));
            Files.writeString(file, "v3");
            assertTrue(calls.tryAcquire(5, TimeUnit.SECONDS), "still polling after a failing callback");
        }
    }
}
