package io.mycelium.benchmarks.transport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time (user and system) of each thread of the JVM since the meter was made, by thread name: where a harness's
 * CPU per message goes (publisher, link writer, link reader), so a profile of the path starts from thread CPU and
 * not from rates a loaded machine distorts. Not thread-safe; for harnesses, not for tests of speed.
 */
final class ThreadCpuMeter {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> start = new HashMap<>();

    ThreadCpuMeter() {
        for (final long id : threads.getAllThreadIds()) {
            start.put(id, threads.getThreadCpuTime(id));
        }
    }

    /**
     * Returns the CPU nanoseconds per message of each thread that used at least 1 % of the total, as
     * {@code name=ns} pairs sorted by name (threads of the same name are added up).
     */
    String perMessage(final long messages) {
        final Map<String, Long> used = new TreeMap<>();
        long total = 0;
        for (final long id : threads.getAllThreadIds()) {
            final long now = threads.getThreadCpuTime(id);
            final ThreadInfo info = threads.getThreadInfo(id);
            if (now < 0 || info == null) {
                continue;
            }
            final long delta = now - start.getOrDefault(id, 0L);
            used.merge(info.getThreadName(), delta, Long::sum);
            total += delta;
        }
        final StringBuilder line = new StringBuilder();
        for (final Map.Entry<String, Long> entry : used.entrySet()) {
            if (entry.getValue() * 100 >= total) {
                line.append(line.length() == 0 ? "" : " ").append(entry.getKey()).append('=')
                        .append(String.format("%.1f", entry.getValue() / (double) messages));
            }
        }
        return line.toString();
    }
}
