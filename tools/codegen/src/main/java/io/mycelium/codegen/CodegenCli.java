package io.mycelium.codegen;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.mycelium.codegen.compat.CompatibilityChecker;
import io.mycelium.codegen.compat.CompatibilityReport;
import io.mycelium.codegen.model.Contracts;
import io.mycelium.codegen.parse.ContractsException;
import io.mycelium.codegen.parse.ContractsParser;

/**
 * Command line entry point of the code generator.
 *
 * <pre>
 * generate: --contracts FILE [--java-out DIR --java-package PKG [--schema-class NAME]] [--python-out DIR]
 * check:    --check-compat OLD NEW
 * </pre>
 * Exit status: 0 success / compatible, 1 incompatible, 2 usage or input error.
 */
public final class CodegenCli {

    /** Success, or compatible contracts. */
    public static final int OK = 0;
    /** {@code --check-compat}: the new contracts break the old layout. */
    public static final int INCOMPATIBLE = 1;
    /** Bad arguments or invalid input. */
    public static final int ERROR = 2;

    private static final String USAGE = String.join("\n",
        "usage: mycelium-codegen --contracts FILE [--java-out DIR --java-package PKG [--schema-class NAME]]"
            + " [--python-out DIR]",
        "       mycelium-codegen --check-compat OLD.yaml NEW.yaml",
        "exit status: 0 ok/compatible, 1 incompatible, 2 usage or input error");

    private CodegenCli() {
    }

    /** @param args see the class comment */
    public static void main(final String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the CLI without exiting.
     *
     * @param args the arguments
     * @param out  receives results
     * @param err  receives warnings and errors
     * @return the exit status
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err) {
        Path contracts = null;
        Path javaOut = null;
        Path pythonOut = null;
        String javaPackage = null;
        String schemaClass = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--contracts" -> contracts = Path.of(value(args, ++i, args[i - 1]));
                    case "--java-out" -> javaOut = Path.of(value(args, ++i, args[i - 1]));
                    case "--java-package" -> javaPackage = value(args, ++i, args[i - 1]);
                    case "--schema-class" -> schemaClass = value(args, ++i, args[i - 1]);
                    case "--python-out" -> pythonOut = Path.of(value(args, ++i, args[i - 1]));
                    case "--check-compat" -> {
                        return checkCompat(Path.of(value(args, i + 1, "--check-compat")),
                            Path.of(value(args, i + 2, "--check-compat")), out);
                    }
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return OK;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            if (contracts == null) {
                throw new IllegalArgumentException("--contracts FILE is required");
            }
            if (javaOut == null && pythonOut == null) {
                throw new IllegalArgumentException("choose at least one output: --java-out DIR or --python-out DIR");
            }
            if (javaOut != null && javaPackage == null) {
                throw new IllegalArgumentException("--java-out needs --java-package PKG");
            }
            final Contracts parsed = Codegen.generate(contracts, javaOut, javaPackage, schemaClass, pythonOut);
            parsed.warnings().forEach(w -> err.println("warning: " + w));
            out.println("generated " + parsed.messages().size() + " message types from " + contracts + " (digest "
                + parsed.digestHex() + ")");
            return OK;
        } catch (final ContractsException | UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return ERROR;
        } catch (final IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return ERROR;
        }
    }

    private static String value(final String[] args, final int index, final String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args[index];
    }

    private static int checkCompat(final Path older, final Path newer, final PrintStream out) {
        final CompatibilityReport report = CompatibilityChecker.check(ContractsParser.parse(older),
            ContractsParser.parse(newer));
        report.problems().forEach(p -> out.println("incompatible: " + p));
        report.notes().forEach(n -> out.println("compatible: " + n));
        out.println(report.compatible() ? "compatible" : "incompatible");
        return report.compatible() ? OK : INCOMPATIBLE;
    }
}
