package io.mycelium.python.impl.dispatch;

/**
 * "A callback is in progress on this thread since T": written by the one thread that runs callbacks through it
 * (a dispatcher thread, or a publisher thread delivering inline), read by the watchdog. Two volatile writes per
 * callback or batch, no allocation.
 */
public final class CallbackMarker {

    /** No callback in progress. */
    public static final long IDLE = 0;

    private final Thread thread;
    private final String where;
    private volatile long since = IDLE;
    private long reported = IDLE; // the watchdog thread's own: the start time of the episode it reported

    /**
     * @param thread the thread whose callbacks this marks
     * @param where  what runs there, for the report ({@code dispatcher} or {@code inline})
     */
    public CallbackMarker(final Thread thread, final String where) {
        this.thread = thread;
        this.where = where;
    }

    /**
     * Marks the start of a callback (or a batch of them). The owner thread only.
     *
     * @param now {@link System#nanoTime()}
     */
    public void enter(final long now) {
        since = now == IDLE ? 1 : now;
    }

    /** Marks the end of the callback. The owner thread only. */
    public void exit() {
        since = IDLE;
    }

    /** @return the {@link System#nanoTime()} the current callback started at, or {@link #IDLE} */
    public long since() {
        return since;
    }

    /** @return the thread whose callbacks this marks */
    public Thread thread() {
        return thread;
    }

    /** @return {@code dispatcher} or {@code inline} */
    public String where() {
        return where;
    }

    /**
     * Decides whether the callback in progress is stuck and not reported yet; remembers that it is reported. The
     * watchdog thread only.
     *
     * @param now        {@link System#nanoTime()}
     * @param boundNanos how long a callback may run
     * @return the start time of a newly stuck callback, or {@link #IDLE}
     */
    public long newlyStuck(final long now, final long boundNanos) {
        final long start = since;
        if (start == IDLE || now - start < boundNanos || start == reported) {
            return IDLE;
        }
        reported = start;
        return start;
    }

    /**
     * @param now        {@link System#nanoTime()}
     * @param boundNanos how long a callback may run
     * @return whether the callback in progress has run longer than the bound
     */
    public boolean isStuck(final long now, final long boundNanos) {
        final long start = since;
        return start != IDLE && now - start >= boundNanos;
    }

    /**
     * Whether the callback last reported stuck has ended since; forgets it then. The watchdog thread only.
     *
     * @return true once after a reported callback returned
     */
    public boolean endedAfterReport() {
        if (reported != IDLE && since != reported) {
            reported = IDLE;
            return true;
        }
        return false;
    }
}
