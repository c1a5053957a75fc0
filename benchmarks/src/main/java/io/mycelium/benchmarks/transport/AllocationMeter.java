package io.mycelium.benchmarks.transport;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes allocated on the heap by the JVM's threads since the meter was made: the threads alive then and still
 * alive at the reading (a harness's publisher, link readers and writers), through HotSpot's
 * {@code com.sun.management.ThreadMXBean}. Not thread-safe; for harnesses, not for tests of speed.
 */
final class AllocationMeter {

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> start = new HashMap<>();

    AllocationMeter() {
        final long[] ids = threads.getAllThreadIds();
        final long[] bytes = threads.getThreadAllocatedBytes(ids);
        for (int i = 0; i < ids.length; i++) {
            start.put(ids[i], bytes[i]);
        }
    }

    /** Returns the bytes the threads alive at the start (and now) allocated since. */
    long bytesSinceStart() {
        final long[] ids = threads.getAllThreadIds();
        final long[] bytes = threads.getThreadAllocatedBytes(ids);
        long total = 0;
        for (int i = 0; i < ids.length; i++) {
            final Long before = start.get(ids[i]);
            if (before != null && before >= 0 && bytes[i] >= 0) {
                total += bytes[i] - before;
            }
        }
        return total;
    }
}
