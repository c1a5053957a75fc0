package io.mycelium.examples.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class CountSummaryTest {

    private static final long TEN_SECONDS = 10_000_000_000L;

    @Test
    void shouldNameChangedCountsWithDeltaAndRateWhenAPeriodEnds() {
        final TypeCounters counters = new TypeCounters(List.of("MarketData", "TradeSignal", "Result"));
        final CountSummary summary = new CountSummary(counters, 0);
        counters.counter("MarketData").addAndGet(100);
        counters.counter("TradeSignal").addAndGet(5);
        assertEquals("MarketData count=100 (+100, 10.0/s), TradeSignal count=5 (+5, 0.5/s) in the last 10.0 s",
                summary.next(TEN_SECONDS));
        counters.counter("MarketData").addAndGet(50);
        assertEquals("MarketData count=150 (+50, 5.0/s) in the last 10.0 s", summary.next(2 * TEN_SECONDS));
    }

    @Test
    void shouldSayNothingWhenNoCountChanged() {
        final TypeCounters counters = new TypeCounters(List.of("MarketData"));
        final CountSummary summary = new CountSummary(counters, 0);
        assertNull(summary.next(TEN_SECONDS));
        counters.counter("MarketData").incrementAndGet();
        summary.next(2 * TEN_SECONDS);
        assertNull(summary.next(3 * TEN_SECONDS));
    }
}
