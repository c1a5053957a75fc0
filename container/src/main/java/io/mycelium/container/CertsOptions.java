package io.mycelium.container;

import java.nio.file.Path;

/**
 * The parsed command line of {@code bin/mycelium certs}.
 *
 * @param topology the topology whose nodes get certificates ({@code --topology})
 * @param out      the folder for {@code ca.pem}, {@code ca.key} and each node's {@code .pem} and {@code .key}
 *                 ({@code --out})
 * @param days     how long node certificates are valid ({@code --days}, default 825)
 * @param force    whether to make a new CA even though {@code out} holds one, or only half of one ({@code --force})
 * @param help     whether only the usage was asked for
 */
record CertsOptions(Path topology, Path out, int days, boolean force, boolean help) {

    static final int DEFAULT_DAYS = 825;

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: mycelium certs --topology FILE --out DIR [--days N] [--force]",
            "Makes a private certificate authority (DIR/ca.pem, DIR/ca.key) and a certificate and key for every",
            "node of the topology (DIR/<node>.pem, DIR/<node>.key), for TLS on TCP links. A CA already in DIR is",
            "reused, so running it again after adding nodes keeps the nodes you already set up working.",
            "  --topology FILE  the topology.toml naming the nodes",
            "  --out DIR        where to write (created, mode 0700, if missing)",
            "  --days N         validity of the node certificates in days (default " + DEFAULT_DAYS + ")",
            "  --force          make a new CA even if DIR holds one (every node then needs its new files)");

    /**
     * Parses the arguments after {@code certs}.
     *
     * @param args the arguments
     * @return the options
     * @throws UsageException naming the offending or missing argument
     */
    static CertsOptions parse(final String[] args) throws UsageException {
        Path topology = null;
        Path out = null;
        int days = DEFAULT_DAYS;
        boolean force = false;
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            switch (arg) {
                case "--topology" -> topology = Path.of(LaunchOptions.value(args, ++i, arg));
                case "--out" -> out = Path.of(LaunchOptions.value(args, ++i, arg));
                case "--days" -> days = days(LaunchOptions.value(args, ++i, arg));
                case "--force" -> force = true;
                case "--help", "-h", "help" -> {
                    return new CertsOptions(null, null, days, force, true);
                }
                default -> throw new UsageException("certs: unknown option '" + arg + "'");
            }
        }
        if (topology == null) {
            throw new UsageException("certs needs --topology FILE (the topology.toml naming the nodes)");
        }
        if (out == null) {
            throw new UsageException("certs needs --out DIR (where to write the CA and the node certificates)");
        }
        return new CertsOptions(topology, out, days, force, false);
    }

    private static int days(final String text) throws UsageException {
        try {
            final int days = Integer.parseInt(text);
            if (days < 1 || days > 36_500) {
                throw new UsageException("certs: --days " + text + " is out of range 1-36500");
            }
            return days;
        } catch (final NumberFormatException e) {
            throw new UsageException("certs: --days needs a whole number of days but got '" + text + "'");
        }
    }
}
