package io.mycelium.console.impl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RateBookTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldAverageOverTheFirstIntervalWhenReadFirst() {
        final RateBook book = new RateBook();
        book.begin(5 * SECOND, 10);
        assertEquals(50.0, book.rate("a", 500), 1e-9);
        book.end();
    }

    @Test
    void shouldCountSincePreviousReadWhenReadAgain() {
        final RateBook book = new RateBook();
        book.begin(0, 10);
        book.rate("a", 500);
        book.end();
        book.begin(2 * SECOND, 10);
        assertEquals(100.0, book.rate("a", 700), 1e-9);
        assertEquals(5.0, book.rate("new", 10), 1e-9, "a counter that appeared after the previous read starts at 0");
        book.end();
    }

    @Test
    void shouldCountFromZeroWhenCounterWentDown() {
        final RateBook book = new RateBook();
        book.begin(0, 1);
        book.rate("link", 1000);
        book.end();
        book.begin(SECOND, 1);
        assertEquals(40.0, book.rate("link", 40), 1e-9, "the link reconnected and its counter restarted");
        book.end();
    }

    @Test
    void shouldReadZeroWhenNoTimePassed() {
        final RateBook book = new RateBook();
        book.begin(SECOND, 0);
        assertEquals(0.0, book.rate("a", 10), 0);
        book.end();
    }
}
