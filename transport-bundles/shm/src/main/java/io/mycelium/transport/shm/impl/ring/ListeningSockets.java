package io.mycelium.transport.shm.impl.ring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the paths of listening Unix sockets from {@code /proc/net/unix}, so a control socket can be judged live
 * without connecting to it (a connect would show in the node's log as a client that never said HELLO).
 * Stateless and thread-safe.
 */
final class ListeningSockets {

    /** {@code St} column value of a listening socket ({@code SS_UNCONNECTED} with {@code __SO_ACCEPTCON} flag). */
    private static final int ACCEPT_CONNECTIONS_FLAG = 0x10000;

    private ListeningSockets() {
    }

    /** Returns the paths of listening sockets, or null when {@code /proc/net/unix} cannot be read. */
    static Set<String> read() {
        final List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/net/unix"), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            return null;
        }
        final Set<String> paths = new HashSet<>();
        for (final String line : lines) {
            // Num RefCount Protocol Flags Type St Inode [Path]
            final String[] fields = line.trim().split("\\s+", 8);
            if (fields.length == 8 && fields[7].startsWith("/")) {
                try {
                    if ((Integer.parseInt(fields[3], 16) & ACCEPT_CONNECTIONS_FLAG) != 0) {
                        paths.add(fields[7]);
                    }
                } catch (final NumberFormatException header) {
                    continue;
                }
            }
        }
        return paths;
    }
}
