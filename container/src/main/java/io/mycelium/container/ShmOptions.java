package io.mycelium.container;

import java.nio.file.Path;

/**
 * The parsed command line of {@code bin/mycelium shm}.
 *
 * @param clean whether to remove the stale files ({@code clean}) or only list ({@code list})
 * @param dir   the shared-memory directory ({@code --dir}, default {@value #DEFAULT_DIR})
 * @param help  whether only the usage was asked for
 */
record ShmOptions(boolean clean, Path dir, boolean help) {

    static final String DEFAULT_DIR = "/dev/shm/mycelium";

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: mycelium shm list|clean [--dir DIR]",
            "Shared-memory links keep a control socket (<node>.shm) and one segment file per connection",
            "(<node>.shm.<pid>.<n>) in DIR. A segment is live while its owner holds its lock, a socket while a",
            "process listens on it; files left by a crashed node are stale (a node also reclaims its own at start).",
            "  list       show every segment and control socket: live/stale, owner pid, size, heartbeat age",
            "  clean      remove the stale ones only, and say what was removed",
            "  --dir DIR  the directory (default " + DEFAULT_DIR + ")");

    /**
     * Parses the arguments after {@code shm}.
     *
     * @throws UsageException naming the offending or missing argument
     */
    static ShmOptions parse(final String[] args) throws UsageException {
        Boolean clean = null;
        Path dir = Path.of(DEFAULT_DIR);
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            switch (arg) {
                case "list" -> clean = action(clean, false, arg);
                case "clean" -> clean = action(clean, true, arg);
                case "--dir" -> dir = Path.of(LaunchOptions.value(args, ++i, arg));
                case "--help", "-h", "help" -> {
                    return new ShmOptions(false, dir, true);
                }
                default -> throw new UsageException("shm: unknown argument '" + arg + "' (expected list, clean or"
                        + " --dir DIR)");
            }
        }
        if (clean == null) {
            throw new UsageException("shm needs an action: list or clean");
        }
        return new ShmOptions(clean, dir, false);
    }

    private static Boolean action(final Boolean before, final boolean clean, final String arg)
            throws UsageException {
        if (before != null) {
            throw new UsageException("shm takes one action, list or clean, but '" + arg + "' came after another");
        }
        return clean;
    }
}
