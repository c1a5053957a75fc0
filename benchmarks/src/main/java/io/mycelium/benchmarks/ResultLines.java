package io.mycelium.benchmarks;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Prints a harness's figures in the result contract of {@code mycelium bench} (docs/benchmarks.md): one
 * {@code RESULT <json>} line per figure and one {@code CURVE <json>} line per latency distribution, on the given
 * stream. Stateless apart from the suite name and the stream; call it from one thread at a time (lines are printed
 * whole, so the stream's own locking keeps them intact).
 */
public final class ResultLines {

    /** What a path is, for the tables and plots: ours, the bare mechanism under it, or another product. */
    public enum Role {
        /** A Mycelium path (the default). */
        SUBJECT,
        /** The bare mechanism: C sockets, a raw ring, a bare bridge call. */
        FLOOR,
        /** Another product doing the same job: JeroMQ, Felix EventAdmin, raw Aeron. */
        PEER;

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Percentiles per halving of the distance to 100 %, for the curves (HdrHistogram's percentile output). */
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    private final String suite;
    private final PrintStream out;

    /**
     * @param suite the suite's name, as in {@code benchmarks/suites/<suite>.suite}
     * @param out   where the lines go (a harness passes {@code System.out})
     */
    public ResultLines(final String suite, final PrintStream out) {
        this.suite = suite;
        this.out = out;
    }

    /**
     * Prints one figure.
     *
     * @param name   the measured path, stable across runs
     * @param role   subject, floor or peer; {@code null} leaves it to the suite's registration ({@code [roles]})
     * @param metric {@code p50_ns}, {@code msgs_per_s}, {@code ns_per_op}, {@code bytes_per_op}, ...
     * @param value  the figure
     * @param unit   its unit for people ({@code ns}, {@code msg/s}, ...)
     * @param params what it was measured with; values are numbers, booleans or strings
     */
    public void value(final String name, final Role role, final String metric, final double value, final String unit,
                      final Map<String, ?> params) {
        out.println("RESULT {\"suite\":" + quote(suite) + ",\"name\":" + quote(name)
                + (role == null ? "" : ",\"role\":" + quote(role.json())) + ",\"metric\":" + quote(metric) + ",\"value\":" + number(value) + ",\"unit\":"
                + quote(unit) + ",\"params\":" + object(params) + "}");
    }

    /**
     * Prints the p50, p99, p99.9 and mean of a latency histogram in nanoseconds as {@code RESULT} lines, and its
     * percentile distribution as a {@code CURVE} line.
     *
     * @param name      the measured path
     * @param role      subject, floor or peer
     * @param histogram values in nanoseconds
     * @param params    what it was measured with
     */
    public void latency(final String name, final Role role, final Histogram histogram, final Map<String, ?> params) {
        value(name, role, "p50_ns", histogram.getValueAtPercentile(50), "ns", params);
        value(name, role, "p99_ns", histogram.getValueAtPercentile(99), "ns", params);
        value(name, role, "p999_ns", histogram.getValueAtPercentile(99.9), "ns", params);
        value(name, role, "mean_ns", histogram.getMean(), "ns", params);
        final StringBuilder points = new StringBuilder("[");
        for (final HistogramIterationValue v : histogram.percentiles(TICKS_PER_HALF_DISTANCE)) {
            point(points, v.getPercentileLevelIteratedTo(), v.getValueIteratedTo());
            if (v.getPercentileLevelIteratedTo() >= 100.0) {
                break;
            }
        }
        curve(name, role, points.append(']'), params);
    }

    /**
     * Prints a latency percentile distribution in nanoseconds that is not an HdrHistogram (e.g. computed in Python).
     *
     * @param name        the measured path
     * @param role        subject, floor or peer
     * @param percentiles ascending percentiles in 0..100
     * @param values      the latency at each percentile, in nanoseconds
     * @param params      what it was measured with
     */
    public void curve(final String name, final Role role, final double[] percentiles, final long[] values,
                      final Map<String, ?> params) {
        if (percentiles.length != values.length) {
            throw new IllegalArgumentException(percentiles.length + " percentiles but " + values.length + " values");
        }
        final StringBuilder points = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            point(points, percentiles[i], values[i]);
        }
        curve(name, role, points.append(']'), params);
    }

    private void curve(final String name, final Role role, final StringBuilder points, final Map<String, ?> params) {
        out.println("CURVE {\"suite\":" + quote(suite) + ",\"name\":" + quote(name)
                + (role == null ? "" : ",\"role\":" + quote(role.json())) + ",\"unit\":\"ns\",\"points\":" + points
                + ",\"params\":" + object(params) + "}");
    }

    private static void point(final StringBuilder points, final double percentile, final long value) {
        if (points.length() > 1) {
            points.append(',');
        }
        points.append('[').append(number(percentile)).append(',').append(value).append(']');
    }

    /**
     * Prints a throughput figure in messages per second.
     *
     * @param name          the measured path
     * @param role          subject, floor or peer
     * @param messagesPerSecond the figure
     * @param params        what it was measured with
     */
    public void throughput(final String name, final Role role, final double messagesPerSecond,
                           final Map<String, ?> params) {
        value(name, role, "msgs_per_s", messagesPerSecond, "msg/s", params);
    }

    private static String number(final double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("a result must be a finite number, not " + value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static String object(final Map<String, ?> params) {
        final StringBuilder json = new StringBuilder("{");
        params.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(e.getKey())).append(':');
            final Object v = e.getValue();
            if (v instanceof Number n) {
                json.append(number(n.doubleValue()));
            } else if (v instanceof Boolean b) {
                json.append(b);
            } else {
                json.append(quote(String.valueOf(v)));
            }
        });
        return json.append('}').toString();
    }

    private static String quote(final String s) {
        final StringBuilder q = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                q.append('\\').append(c);
            } else if (c < 0x20) {
                q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
