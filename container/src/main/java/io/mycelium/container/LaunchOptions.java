package io.mycelium.container;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The parsed command line of {@code bin/mycelium}.
 *
 * @param command      what to do
 * @param node         this node's name ({@code --node})
 * @param topology     the topology file ({@code --topology})
 * @param deploy       the watched deploy folder ({@code --deploy})
 * @param data         the instance folder for cache, logs and temporary files ({@code --data})
 * @param consolePort  the Web Console port ({@code --console-port}); {@code 0} picks a free port, empty keeps
 *                     the configured one
 * @param consoleOff   whether the Web Console is disabled ({@code --console-port off})
 * @param interactive  whether the Gogo shell reads the terminal; {@code --nointeractive} turns it off
 */
record LaunchOptions(Command command, Optional<String> node, Optional<Path> topology, Optional<Path> deploy,
                     Optional<Path> data, Optional<Integer> consolePort, boolean consoleOff, boolean interactive) {

    /** The subcommands of {@code bin/mycelium} handled by the launcher. */
    enum Command { RUN, VERSION, HELP }

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: mycelium [run] [options]     start a node (the default command)",
            "       mycelium codegen ...         contracts.yaml to Java and Python (mycelium codegen --help)",
            "       mycelium certs --topology FILE --out DIR [--days N] [--force]",
            "                                    a private CA and TLS certificates for every node (certs --help)",
            "       mycelium shm list|clean [--dir DIR]",
            "                                    shared-memory segments: list them, remove stale ones (shm --help)",
            "       mycelium version             print the version",
            "       mycelium help                print this text",
            "",
            "Options of run:",
            "  --node NAME          this node's name in the topology",
            "  --topology FILE      the topology.toml to run (watched for changes)",
            "  --deploy DIR         the folder watched for bundles, .cfg, Python services, topology.toml",
            "                       (default: <home>/deploy)",
            "  --data DIR           cache, logs and temporary files of this instance (default: <home>/data);",
            "                       give each instance run from one distribution its own",
            "  --console-port PORT  Web Console port on 127.0.0.1; 0 picks a free port, 'off' disables it",
            "  --nointeractive      no Gogo shell on the terminal (implied when there is no terminal)");

    /**
     * Parses the arguments after the launcher's name.
     *
     * @param args         the arguments
     * @param hasTerminal  whether standard input is a terminal
     * @return the options
     * @throws UsageException naming the offending argument
     */
    static LaunchOptions parse(final String[] args, final boolean hasTerminal) throws UsageException {
        int i = 0;
        Command command = Command.RUN;
        if (args.length > 0 && !args[0].startsWith("-")) {
            command = switch (args[0]) {
                case "run" -> Command.RUN;
                case "version" -> Command.VERSION;
                case "help" -> Command.HELP;
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            };
            i = 1;
        }
        String node = null;
        Path topology = null;
        Path deploy = null;
        Path data = null;
        Integer consolePort = null;
        boolean consoleOff = false;
        boolean interactive = hasTerminal;
        for (; i < args.length; i++) {
            final String arg = args[i];
            if (command != Command.RUN) {
                throw new UsageException("'" + command.name().toLowerCase() + "' takes no options but got '" + arg + "'");
            }
            switch (arg) {
                case "--node" -> node = value(args, ++i, arg);
                case "--topology" -> topology = Path.of(value(args, ++i, arg));
                case "--deploy" -> deploy = Path.of(value(args, ++i, arg));
                case "--data" -> data = Path.of(value(args, ++i, arg));
                case "--console-port" -> {
                    final String port = value(args, ++i, arg);
                    if (port.equals("off")) {
                        consoleOff = true;
                    } else {
                        consolePort = port(port);
                    }
                }
                case "--nointeractive" -> interactive = false;
                case "--help", "-h" -> command = Command.HELP;
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
        }
        if (node != null && !node.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new UsageException("--node '" + node + "' is not a valid node name (letters, digits, . _ -)");
        }
        return new LaunchOptions(command, Optional.ofNullable(node), Optional.ofNullable(topology),
                Optional.ofNullable(deploy), Optional.ofNullable(data), Optional.ofNullable(consolePort), consoleOff,
                interactive);
    }

    /**
     * @param args   the command line
     * @param index  where the option's value should be
     * @param option the option, for the message
     * @return the value
     * @throws UsageException when the value is missing
     */
    static String value(final String[] args, final int index, final String option) throws UsageException {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[index];
    }

    private static int port(final String text) throws UsageException {
        try {
            final int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) {
                throw new UsageException("--console-port " + text + " is out of range 0-65535");
            }
            return port;
        } catch (final NumberFormatException e) {
            throw new UsageException("--console-port needs a number or 'off' but got '" + text + "'");
        }
    }
}
