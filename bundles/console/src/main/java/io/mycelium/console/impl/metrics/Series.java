package io.mycelium.console.impl.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * One metric family being filled during a scrape. Two rows with the same labels (two accepted links from one peer
 * while it reconnects, a left-behind Python service beside its successor) are merged with the family's operator
 * rather than refused, since the client library rejects a family with duplicate labels and the whole scrape would
 * fail. Not thread-safe: one per scrape.
 */
final class Series {

    private final String name;
    private final String help;
    private final boolean counter;
    private final DoubleBinaryOperator merge;
    private Unit unit;
    private final Map<Labels, Double> points = new LinkedHashMap<>();

    private Series(final String name, final String help, final boolean counter, final DoubleBinaryOperator merge) {
        this.name = name;
        this.help = help;
        this.counter = counter;
        this.merge = merge;
    }

    /**
     * @param name the name without {@code _total} (the writer appends it)
     * @param help what it counts
     * @return a counter family; duplicates are summed
     */
    static Series counter(final String name, final String help) {
        return new Series(name, help, true, Double::sum);
    }

    /**
     * @param name  the name
     * @param help  what it measures
     * @param merge how duplicates combine (sum for amounts, max for states and latencies)
     * @return a gauge family
     */
    static Series gauge(final String name, final String help, final DoubleBinaryOperator merge) {
        return new Series(name, help, false, merge);
    }

    /**
     * @param value the base unit the name ends with
     * @return this family
     */
    Series unit(final Unit value) {
        this.unit = value;
        return this;
    }

    /**
     * @param labels the series' labels
     * @param value  its value
     * @return this family
     */
    Series add(final Labels labels, final double value) {
        points.merge(labels, value, merge::applyAsDouble);
        return this;
    }

    /** @return whether no series was added (the family is then left out) */
    boolean isEmpty() {
        return points.isEmpty();
    }

    /** @return the family */
    MetricSnapshot build() {
        if (counter) {
            final CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
            if (unit != null) {
                builder.unit(unit);
            }
            points.forEach((labels, value) -> builder.dataPoint(
                    CounterDataPointSnapshot.builder().labels(labels).value(value).build()));
            return builder.build();
        }
        final GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
        if (unit != null) {
            builder.unit(unit);
        }
        points.forEach((labels, value) -> builder.dataPoint(
                GaugeDataPointSnapshot.builder().labels(labels).value(value).build()));
        return builder.build();
    }
}
