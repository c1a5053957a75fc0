package io.mycelium.container;

import io.mycelium.transport.shm.impl.ring.ShmSegmentScanner;
import io.mycelium.transport.shm.impl.ring.ShmSegmentStatus;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/mycelium shm list|clean}: lists the shared-memory segments and control sockets of a directory, or
 * removes the stale ones (never a live one, never another user's). Runs outside any node, so opening a segment to
 * test its lock cannot drop a lock this process holds.
 */
final class ShmCommand {

    private final PrintStream out;
    private final PrintStream err;

    ShmCommand(final PrintStream out, final PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the command; returns the exit status: 0 done, 1 the directory could not be read. */
    int run(final ShmOptions options) {
        try {
            if (options.clean()) {
                return clean(options);
            }
            return list(options);
        } catch (final IOException e) {
            err.println("mycelium: shm " + (options.clean() ? "clean" : "list") + ": cannot read " + options.dir()
                    + ": " + e);
            return 1;
        }
    }

    private int list(final ShmOptions options) throws IOException {
        final List<ShmSegmentStatus> found = ShmSegmentScanner.scan(options.dir());
        if (found.isEmpty()) {
            out.println("no shared-memory segments or control sockets in " + options.dir());
            return 0;
        }
        out.println(String.format(Locale.ROOT, "%-8s %-7s %-9s %-10s %-10s %s", "KIND", "STATE", "PID", "SIZE",
                "HEARTBEAT", "PATH (why)"));
        int stale = 0;
        for (final ShmSegmentStatus status : found) {
            out.println(String.format(Locale.ROOT, "%-8s %-7s %-9s %-10s %-10s %s (%s)", kind(status),
                    status.liveness().name().toLowerCase(Locale.ROOT),
                    status.ownerPid() < 0 ? "-" : Long.toString(status.ownerPid()), size(status),
                    status.heartbeatAgeMillis() < 0 ? "-" : age(status.heartbeatAgeMillis()), status.path(),
                    status.detail()));
            if (status.liveness() == ShmSegmentStatus.Liveness.STALE) {
                stale++;
            }
        }
        out.println(found.size() + (found.size() == 1 ? " file, " : " files, ") + stale + " stale"
                + (stale == 0 ? "" : "; remove them with: mycelium shm clean --dir " + options.dir()));
        return 0;
    }

    private int clean(final ShmOptions options) throws IOException {
        final List<ShmSegmentStatus> removed = ShmSegmentScanner.clean(options.dir());
        for (final ShmSegmentStatus status : removed) {
            out.println("removed stale " + kind(status) + " " + status.path()
                    + (status.ownerPid() < 0 ? "" : " of pid " + status.ownerPid()) + " (" + status.detail() + ")");
        }
        final List<ShmSegmentStatus> left = ShmSegmentScanner.scan(options.dir());
        final long live = left.stream().filter(s -> s.liveness() == ShmSegmentStatus.Liveness.LIVE).count();
        final long unknown = left.stream().filter(s -> s.liveness() != ShmSegmentStatus.Liveness.LIVE).count();
        out.println((removed.isEmpty() ? "nothing stale in " + options.dir() : "removed " + removed.size()
                + (removed.size() == 1 ? " stale file" : " stale files")) + "; kept " + live + " live"
                + (unknown == 0 ? "" : ", " + unknown + " that could not be judged or removed (see mycelium shm"
                + " list)"));
        return 0;
    }

    private static String kind(final ShmSegmentStatus status) {
        return status.kind() == ShmSegmentStatus.Kind.SEGMENT ? "segment" : "socket";
    }

    private static String size(final ShmSegmentStatus status) {
        if (status.kind() != ShmSegmentStatus.Kind.SEGMENT) {
            return "-";
        }
        final long bytes = status.size();
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
                : bytes >= 1 << 10 ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0) : bytes + " B";
    }

    private static String age(final long millis) {
        return millis < 10_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
                : millis < 120_000 ? (millis / 1000) + " s"
                : millis < 7_200_000 ? (millis / 60_000) + " min" : (millis / 3_600_000) + " h";
    }
}
