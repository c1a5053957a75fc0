package io.mycelium.examples.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class SequenceCheckTest {

    @Test
    void shouldCountGapsAndRepeatsWhenNumbersSkipOrComeAgain() {
        final SequenceCheck check = new SequenceCheck();
        assertFalse(check.started());
        for (final long n : new long[] {5, 6, 7, 9, 9, 8, 10}) {
            check.accept(n);
        }
        assertEquals("first=5 last=10 gaps=2 repeats=2 first-gap=8..8 first-repeat=9-after-9", check.format());
    }

    @Test
    void shouldReportNoProblemWhenNumbersFollowEachOther() {
        final SequenceCheck check = new SequenceCheck();
        for (long n = 1; n <= 1_000; n++) {
            check.accept(n);
        }
        assertEquals("first=1 last=1000 gaps=0 repeats=0", check.format());
    }
}
