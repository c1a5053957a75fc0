package io.mycelium.benchmarks.transport;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a process's CPU went during a run, thread by thread: Java threads by their full names (through
 * {@link ThreadMXBean}), and the JVM's own threads (GC, JIT compilers, JFR, VM thread), which {@code ThreadMXBean}
 * does not list, from Linux's {@code /proc/self/task/<tid>/schedstat} grouped by their name without the number.
 * Spinning and yielding count as much as work, so the figures say what each thread costs the machine. A harness
 * takes one at the start of a run and prints the difference per message at its end. Not thread-safe; without
 * Linux's {@code /proc} only the Java threads are shown.
 */
final class ThreadCpuMeter {

    /** Linux keeps the first 15 characters of a thread's name. */
    private static final int COMM_LENGTH = 15;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> javaStart = javaCpu();
    private final Map<String, Long> nativeStart = nativeCpu();
    private Map<Long, Long> javaEnd;
    private Map<String, Long> nativeEnd;

    /** Ends the measured interval (before anything is printed, so printing's own CPU is not in it). */
    void stop() {
        javaEnd = javaCpu();
        nativeEnd = nativeCpu();
    }

    /**
     * Prints each thread's CPU from this meter's making to {@link #stop()} (called now if it was not), per message, largest first, then the JVM's threads by
     * kind and the total of all.
     */
    void print(final PrintStream out, final String prefix, final long messages) {
        if (javaEnd == null) {
            stop();
        }
        final Map<Long, Long> javaNow = javaEnd;
        final List<Map.Entry<String, Long>> used = new ArrayList<>();
        final Set<String> javaComms = new HashSet<>();
        long total = 0;
        for (final Map.Entry<Long, Long> e : javaNow.entrySet()) {
            final ThreadInfo info = threads.getThreadInfo(e.getKey());
            if (info == null) {
                continue;
            }
            final String name = info.getThreadName();
            javaComms.add(name.length() > COMM_LENGTH ? name.substring(0, COMM_LENGTH) : name);
            final long delta = e.getValue() - javaStart.getOrDefault(e.getKey(), 0L);
            if (delta > 0) {
                used.add(Map.entry(name, delta));
                total += delta;
            }
        }
        final Map<String, Long> vm = new HashMap<>();
        for (final Map.Entry<String, Long> e : nativeEnd.entrySet()) {
            final String comm = e.getKey().substring(0, e.getKey().lastIndexOf('/'));
            // "java": the launcher's thread that runs main, listed above as "main".
            if (javaComms.contains(comm) || comm.equals("java") && javaComms.contains("main")) {
                continue;
            }
            final long delta = e.getValue() - nativeStart.getOrDefault(e.getKey(), 0L);
            if (delta > 0) {
                vm.merge("(jvm) " + comm.replaceAll("[#0-9]+$", ""), delta, Long::sum);
                total += delta;
            }
        }
        used.addAll(vm.entrySet());
        used.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
        long small = 0;
        for (final Map.Entry<String, Long> e : used) {
            final double perMessage = e.getValue() / (double) messages;
            if (perMessage >= 0.5) {
                out.printf(Locale.ROOT, "%sthread %s: %.1f ns/msg%n", prefix, e.getKey(), perMessage);
            } else {
                small += e.getValue();
            }
        }
        out.printf(Locale.ROOT, "%sthreads under 0.5 ns/msg each: %.1f ns/msg; all threads: %.1f ns/msg%n", prefix,
                small / (double) messages, total / (double) messages);
    }

    private Map<Long, Long> javaCpu() {
        final Map<Long, Long> cpu = new HashMap<>();
        for (final long id : threads.getAllThreadIds()) {
            cpu.put(id, threads.getThreadCpuTime(id));
        }
        return cpu;
    }

    /**
     * Returns the CPU the JIT's compiler threads used so far (C1 and C2, from {@code /proc}), or -1 without Linux's
     * {@code /proc}. A compile in progress counts here as it runs, while {@code CompilationMXBean} adds a compile's
     * time only when it ends: a warm-up during which C2 worked on one long compile looked quiet to it.
     */
    static long compilerCpuNanos() {
        final Map<String, Long> cpu = nativeCpu();
        if (cpu.isEmpty()) {
            return -1;
        }
        long sum = 0;
        for (final Map.Entry<String, Long> e : cpu.entrySet()) {
            if (e.getKey().startsWith("C1 CompilerThre") || e.getKey().startsWith("C2 CompilerThre")) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    /** @return CPU nanoseconds per OS thread, keyed by "comm/tid" */
    private static Map<String, Long> nativeCpu() {
        final Map<String, Long> cpu = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (final Path task : tasks) {
                try {
                    final String schedstat = Files.readString(task.resolve("schedstat")).trim();
                    final String name = Files.readString(task.resolve("comm")).trim();
                    cpu.put(name + "/" + task.getFileName(),
                            Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
                } catch (final IOException | RuntimeException threadEnded) {
                    // The thread ended between the listing and the read: it is not counted.
                }
            }
        } catch (final IOException notLinux) {
            // Only the Java threads then.
        }
        return cpu;
    }
}
