package io.mycelium.examples.services;

/**
 * Checks that a stream of sequence numbers (the {@link LoadGenerator}'s messages carry 1, 2, 3, ...) arrives without
 * gap or repeat: after the first number each must be the previous plus one. It keeps the first and last numbers and
 * counts gaps (a number above previous + 1) and repeats (a number at or below the previous).
 *
 * <p><b>Threading:</b> {@link #accept} from one thread at a time (an inline subscriber); {@link #format()} from any
 * thread, reading a consistent-enough snapshot for a log line.
 */
final class SequenceCheck {

    private volatile long first = -1;
    private volatile long last = -1;
    private volatile long gaps;
    private volatile long repeats;

    /** @param sequence the next number seen */
    void accept(final long sequence) {
        final long previous = last;
        if (previous < 0) {
            first = sequence;
        } else if (sequence > previous + 1) {
            gaps++;
        } else if (sequence <= previous) {
            repeats++;
        }
        last = sequence;
    }

    /** @return whether any number was seen */
    boolean started() {
        return last >= 0;
    }

    /** @return {@code first=<n> last=<n> gaps=<n> repeats=<n>} */
    String format() {
        return "first=" + first + " last=" + last + " gaps=" + gaps + " repeats=" + repeats;
    }
}
