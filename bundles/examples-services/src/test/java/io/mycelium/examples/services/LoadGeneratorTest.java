package io.mycelium.examples.services;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldKeepARateBelowOneMessagePerTickWhenWorkingOutWhatIsDue() {
        assertEquals(1, LoadGenerator.due(200, 1_000, 0), "the first message at once");
        assertEquals(1, LoadGenerator.due(200, 1_000, 4_000_000), "nothing more within 5 ms at 200/s");
        assertEquals(201, LoadGenerator.due(200, 1_000, SECOND), "200 a second, not one per 1 ms tick");
    }

    @Test
    void shouldKeepARateBetweenWholeMessagesPerTickWhenWorkingOutWhatIsDue() {
        assertEquals(1_501, LoadGenerator.due(1_500, 1_000_000, SECOND), "1500 a second, not 1000");
    }

    @Test
    void shouldStopAtTheCountAndPublishEverythingAtOnceWhenTheRateIsZero() {
        assertEquals(1_000, LoadGenerator.due(200, 1_000, 3_600 * SECOND));
        assertEquals(1_000, LoadGenerator.due(0, 1_000, 0));
    }
}
