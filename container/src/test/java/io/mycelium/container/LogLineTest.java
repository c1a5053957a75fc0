package io.mycelium.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The launcher's and the framework's lines have the format slf4j-simple gives every bundle's lines. */
class LogLineTest {

    /** What bin/mycelium sets. */
    private static final Map<String, String> NODE_FORMAT = Map.of(
            "org.slf4j.simpleLogger.showDateTime", "true",
            "org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS",
            "org.slf4j.simpleLogger.showShortLogName", "true");
    private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3} ";

    @BeforeAll
    static void useNodeFormat() {
        NODE_FORMAT.forEach(System::setProperty);
    }

    @AfterAll
    static void restore() {
        NODE_FORMAT.keySet().forEach(System::clearProperty);
    }

    @Test
    void shouldMatchSlf4jSimpleLineWhenFrameworkLogs() {
        final String slf4j = captureStderr(() -> LoggerFactory.getLogger(LogLine.FRAMEWORK).error("bundle 7 failed"));
        final String ours = new LogLine(LogLine.FRAMEWORK, System.err).format("ERROR", "bundle 7 failed", null,
                Thread.currentThread().getName(), new Date());
        assertTrue(slf4j.matches(TIMESTAMP + "\\S.*\\R"), slf4j);
        assertTrue(ours.matches(TIMESTAMP + "\\S.*\\R"), ours);
        assertEquals(slf4j.replaceFirst(TIMESTAMP, ""), ours.replaceFirst(TIMESTAMP, ""));
        assertEquals("[" + Thread.currentThread().getName() + "] ERROR framework - bundle 7 failed"
                + System.lineSeparator(), ours.replaceFirst(TIMESTAMP, ""));
    }

    @Test
    void shouldMapFelixLevelsAndAppendTraceWhenFrameworkLogsException() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final LogLine line = new LogLine(LogLine.LAUNCHER, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        line.log(2, "a warning", null);
        line.log(1, "an error", new IllegalStateException("boom"));
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("] WARN container - a warning"), text);
        assertTrue(text.contains("] ERROR container - an error" + System.lineSeparator()
                + "java.lang.IllegalStateException: boom"), text);
    }

    @Test
    void shouldWriteFrameworkMessagesInNodeFormatWhenFelixLogs() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final org.apache.felix.framework.Logger logger = LogLine.framework(
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        logger.log(org.apache.felix.framework.Logger.LOG_ERROR, "Error starting bundle 7");
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.matches(TIMESTAMP + "\\[[^\\]]+\\] ERROR framework - .*Error starting bundle 7\\R"), text);
    }

    private static String captureStderr(final Runnable action) {
        final PrintStream original = System.err;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
