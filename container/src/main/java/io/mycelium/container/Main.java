package io.mycelium.container;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Entry point of {@code bin/mycelium}: {@code run} (the default), {@code certs}, {@code shm}, {@code version} and
 * {@code help}.
 * Exit status 0 after a clean stop, 1 when the node cannot start (or {@code certs} cannot write its files), 2 for a
 * wrong command line.
 */
public final class Main {

    private Main() {
    }

    /**
     * Starts the launcher.
     *
     * @param args the command line after {@code mycelium}
     */
    public static void main(final String[] args) {
        final long startNanos = System.nanoTime();
        if (args.length > 0 && args[0].equals("certs")) {
            System.exit(certs(Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        if (args.length > 0 && args[0].equals("shm")) {
            System.exit(shm(Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        final LaunchOptions options;
        try {
            options = LaunchOptions.parse(args, System.console() != null);
        } catch (final UsageException e) {
            System.err.println("mycelium: " + e.getMessage());
            System.err.println(LaunchOptions.USAGE);
            System.exit(2);
            return;
        }
        switch (options.command()) {
            case HELP -> System.out.println(LaunchOptions.USAGE);
            case VERSION -> System.out.println("mycelium " + version());
            case RUN -> System.exit(run(options, startNanos));
            default -> throw new IllegalStateException("unhandled command " + options.command());
        }
    }

    private static int run(final LaunchOptions options, final long startNanos) {
        try {
            return new NodeRunner(NodeLayout.of(home(), options), options, System.out, startNanos).run();
        } catch (final LaunchException e) {
            System.err.println("mycelium: " + e.getMessage());
            return 1;
        }
    }

    private static int certs(final String[] args) {
        return tool(args, CertsOptions::parse, CertsOptions.USAGE, CertsOptions::help,
                options -> new CertsCommand(System.out, System.err).run(options), "certs",
                "lib/certs/ (Bouncy Castle, the topology parser)");
    }

    private static int shm(final String[] args) {
        return tool(args, ShmOptions::parse, ShmOptions.USAGE, ShmOptions::help,
                options -> new ShmCommand(System.out, System.err).run(options), "shm",
                "lib/shm/ (the shared-memory transport's segment scanner)");
    }

    /** Parses a tool's options of the form {@code X.parse(String[]) throws UsageException}. */
    @FunctionalInterface
    private interface OptionsParser<O> {
        O parse(String[] args) throws UsageException;
    }

    /**
     * Runs a tool that lives outside the node's class path: usage errors exit 2 with the usage text, {@code --help}
     * prints it, a missing library (only bin/mycelium adds it to the class path) exits 1 with the fix.
     */
    private static <O> int tool(final String[] args, final OptionsParser<O> parser, final String usage,
            final Predicate<O> help, final ToIntFunction<O> command, final String name, final String library) {
        final O options;
        try {
            options = parser.parse(args);
        } catch (final UsageException e) {
            System.err.println("mycelium: " + e.getMessage());
            System.err.println(usage);
            return 2;
        }
        if (help.test(options)) {
            System.out.println(usage);
            return 0;
        }
        try {
            return command.applyAsInt(options);
        } catch (final NoClassDefFoundError e) {
            System.err.println("mycelium: " + name + " needs " + library + " on the class path (missing "
                    + e.getMessage() + "). Fix: run it as bin/mycelium " + name);
            return 1;
        }
    }

    private static String version() {
        final String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }

    /** The distribution folder: {@code -Dmycelium.home}, else the parent of the {@code lib/} holding this jar. */
    private static Path home() {
        final String configured = System.getProperty("mycelium.home");
        if (configured != null) {
            return Path.of(configured);
        }
        try {
            final Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent();
        } catch (final URISyntaxException e) {
            throw new IllegalStateException("cannot locate the distribution from " + e.getInput(), e);
        }
    }
}
