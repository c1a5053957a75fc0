package io.mycelium.python.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The watchdog's timing on a fake clock: a callback over the bound is reported once, its return once. */
class CallbackMarkerTest {

    private static final long BOUND = 5_000;

    @Test
    void shouldReportOnceWhenACallbackRunsOverTheBound() {
        final CallbackMarker marker = new CallbackMarker(Thread.currentThread(), "dispatcher");
        marker.enter(1_000);
        assertEquals(CallbackMarker.IDLE, marker.newlyStuck(5_999, BOUND), "under the bound");
        assertFalse(marker.isStuck(5_999, BOUND));
        assertEquals(1_000, marker.newlyStuck(6_000, BOUND), "at the bound: reported with its start");
        assertTrue(marker.isStuck(6_000, BOUND));
        assertEquals(CallbackMarker.IDLE, marker.newlyStuck(60_000, BOUND), "reported once per callback");
        assertFalse(marker.endedAfterReport(), "still running");
    }

    @Test
    void shouldTellOnceWhenAReportedCallbackReturns() {
        final CallbackMarker marker = new CallbackMarker(Thread.currentThread(), "inline");
        marker.enter(1_000);
        marker.newlyStuck(10_000, BOUND);
        marker.exit();
        assertFalse(marker.isStuck(20_000, BOUND));
        assertTrue(marker.endedAfterReport());
        assertFalse(marker.endedAfterReport(), "once");
    }

    @Test
    void shouldReportTheNextStuckCallbackWhenTheFirstReturned() {
        final CallbackMarker marker = new CallbackMarker(Thread.currentThread(), "dispatcher");
        marker.enter(1_000);
        marker.newlyStuck(10_000, BOUND);
        marker.exit();
        marker.enter(20_000);
        assertTrue(marker.endedAfterReport(), "the first one returned");
        assertEquals(20_000, marker.newlyStuck(25_000, BOUND));
    }

    @Test
    void shouldNeverReportWhenIdleOrWhenCallbacksAreShort() {
        final CallbackMarker marker = new CallbackMarker(Thread.currentThread(), "dispatcher");
        assertEquals(CallbackMarker.IDLE, marker.newlyStuck(Long.MAX_VALUE, BOUND));
        marker.enter(0); // nanoTime may be 0: still marked
        assertTrue(marker.since() != CallbackMarker.IDLE);
        marker.exit();
        assertEquals(CallbackMarker.IDLE, marker.since());
    }
}
