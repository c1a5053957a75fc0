package io.mycelium.python.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class LogSamplingTest {

    @Test
    void shouldLogFirstTenThenPowersOfTwoWhenEventRepeats() {
        final long[] logged = LongStream.rangeClosed(1, 1000).filter(LogSampling::shouldLog).toArray();
        assertEquals("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 32, 64, 128, 256, 512]", java.util.Arrays.toString(logged));
    }
}
