package io.mycelium.examples.services;

/**
 * Checks that a stream of sequence numbers (the {@link LoadGenerator}'s messages carry 1, 2, 3, ...) arrives without
 * gap or repeat: after the first number each must be the previous plus one. It keeps the first and last numbers and
 * counts gaps (a number above previous + 1) and repeats (a number at or below the previous), and remembers the first
 * gap and the first repeat so a failing test can say where they were.
 *
 * <p><b>Threading:</b> {@link #accept} from one thread at a time (an inline subscriber); {@link #format()} from any
 * thread, reading a consistent-enough snapshot for a log line.
 */
final class SequenceCheck {

    private volatile long first = -1;
    private volatile long last = -1;
    private volatile long gaps;
    private volatile long repeats;
    private volatile String firstGap = "";
    private volatile String firstRepeat = "";

    /** @param sequence the next number seen */
    void accept(final long sequence) {
        final long previous = last;
        if (previous < 0) {
            first = sequence;
        } else if (sequence > previous + 1) {
            if (gaps++ == 0) {
                firstGap = " first-gap=" + (previous + 1) + ".." + (sequence - 1);
            }
        } else if (sequence <= previous) {
            if (repeats++ == 0) {
                firstRepeat = " first-repeat=" + sequence + "-after-" + previous;
            }
        }
        last = sequence;
    }

    /** @return whether any number was seen */
    boolean started() {
        return last >= 0;
    }

    /**
     * @return {@code first=<n> last=<n> gaps=<n> repeats=<n>}, then {@code first-gap=<a>..<b>} (the numbers missing
     *         at the first gap) and {@code first-repeat=<n>-after-<m>} when there were any
     */
    String format() {
        return "first=" + first + " last=" + last + " gaps=" + gaps + " repeats=" + repeats + firstGap + firstRepeat;
    }
}
