package io.mycelium.transport.aeron.impl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.ConfigurationException;
import io.mycelium.testsupport.StderrCapture;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class AeronDriverTest {

    private static final Logger LOG = LoggerFactory.getLogger("io.mycelium.transport.aeron");

    @TempDir
    Path dir;

    @Test
    void shouldRemoveStaleDirectoryAndSayWhenACrashLeftOne() throws Exception {
        final Path aeronDir = Files.createDirectories(dir.resolve("aeron/a"));
        Files.write(aeronDir.resolve("cnc.dat"), new byte[16]);
        Files.createDirectories(aeronDir.resolve("publications"));
        try (StderrCapture log = StderrCapture.start()) {
            final AeronDriver driver = AeronDriver.embedded(aeronDir, "a", LOG);
            assertTrue(driver.isEmbedded());
            assertTrue(log.text().contains("node a: removed the stale Aeron directory " + aeronDir), log.text());
            driver.close();
            assertFalse(Files.exists(aeronDir), "removed on a clean stop");
            assertTrue(log.text().contains("embedded Aeron media driver stopped, " + aeronDir + " removed"),
                    log.text());
        }
    }

    @Test
    void shouldRefuseDirectoryWhenItsDriverIsAlive() {
        final Path aeronDir = dir.resolve("aeron/shared");
        try (AeronDriver first = AeronDriver.embedded(aeronDir, "a", LOG)) {
            final ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> AeronDriver.embedded(aeronDir, "b", LOG));
            assertTrue(e.getMessage().contains("node b: the Aeron directory " + aeronDir + " belongs to a media"
                    + " driver that is running"), e.getMessage());
            assertTrue(Files.exists(aeronDir.resolve("cnc.dat")), "the live driver's directory is left alone");
        }
    }

    @Test
    void shouldNameThePropertyWhenNoExternalDriverRuns() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> AeronDriver.external(dir.resolve("none"), "a", LOG));
        assertTrue(e.getMessage().contains("no Aeron media driver is running in " + dir.resolve("none")
                + " (named by mycelium.aeron.dir)"), e.getMessage());
    }
}
