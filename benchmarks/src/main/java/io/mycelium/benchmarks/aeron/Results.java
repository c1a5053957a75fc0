package io.mycelium.benchmarks.aeron;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

/**
 * Prints the Aeron harnesses' figures as {@code RESULT <json>} lines (keys suite, name, role, metric, value, unit,
 * params), the contract of {@code mycelium bench}. Names and params hold no characters JSON must escape. Used from
 * the main thread only.
 */
final class Results {

    private final String suite;

    Results(final String suite) {
        this.suite = suite;
    }

    void latency(final String name, final String role, final Histogram histogram, final Map<String, ?> params) {
        value(name, role, "p50_ns", histogram.getValueAtPercentile(50), "ns", params);
        value(name, role, "p99_ns", histogram.getValueAtPercentile(99), "ns", params);
        value(name, role, "p999_ns", histogram.getValueAtPercentile(99.9), "ns", params);
    }

    void value(final String name, final String role, final String metric, final double value, final String unit,
               final Map<String, ?> params) {
        final StringBuilder json = new StringBuilder("{");
        new TreeMap<>(params).forEach((key, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(key)
                .append("\":").append(v instanceof Number ? format((Number) v) : "\"" + v + "\""));
        System.out.println("RESULT {\"suite\":\"" + suite + "\",\"name\":\"" + name + "\",\"role\":\"" + role
                + "\",\"metric\":\"" + metric + "\",\"value\":" + format(value) + ",\"unit\":\"" + unit
                + "\",\"params\":" + json.append('}') + "}");
    }

    private static String format(final Number n) {
        final double d = n.doubleValue();
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.3f", d);
    }
}
