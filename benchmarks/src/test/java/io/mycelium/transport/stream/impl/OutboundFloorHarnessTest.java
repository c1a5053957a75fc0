package io.mycelium.transport.stream.impl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OutboundFloorHarnessTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCarryEveryFrameThroughTheLinkOutboundToTheOtherEnd() throws Exception {
        // Returns only once the other end has read every frame of every round.
        OutboundFloorHarness.main(new String[] {"outbound", "20000"});
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCarryEveryFrameThroughTheFloorQueuesToTheOtherEnd() throws Exception {
        OutboundFloorHarness.main(new String[] {"floor", "20000"});
        OutboundFloorHarness.main(new String[] {"spsc", "20000"});
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCarryEveryFrameThroughAFloorRingFarSmallerThanTheWindowByWaitingForRoom() throws Exception {
        // 64 frames against a window of 64 Ki in flight: the publisher must wait for the writer, not overrun it.
        for (final String queue : new String[] {"floor", "spsc"}) {
            final String printed = printedBy(
                    () -> OutboundFloorHarness.main(new String[] {queue, "20000", "100", "64"}));
            final Matcher waits = Pattern.compile("round 3: .* (\\d+) offers retried").matcher(printed);
            assertTrue(waits.find(), printed);
            assertTrue(Long.parseLong(waits.group(1)) > 0, queue + " waited for room: " + printed);
        }
    }

    /** What {@code run} printed on standard output (the harness prints its rounds there). */
    private static String printedBy(final Run run) throws Exception {
        final PrintStream saved = System.out;
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setOut(saved);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface Run {
        void run() throws Exception;
    }

    @Test
    void shouldRefuseAnUnknownQueueByName() {
        assertThrows(IllegalArgumentException.class, () -> OutboundFloorHarness.main(new String[] {"ring"}));
    }

    @Test
    void shouldRefuseARingOfNoFrames() {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> OutboundFloorHarness.main(new String[] {"floor", "1000", "100", "0"}));
        assertTrue(refused.getMessage().contains("floor ring frames 0"), refused.getMessage());
    }
}
