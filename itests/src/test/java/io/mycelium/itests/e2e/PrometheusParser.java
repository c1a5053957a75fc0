package io.mycelium.itests.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The official Python Prometheus client's text parser ({@code prometheus_client.parser}), run on an exposition to
 * prove it is valid: from a venv under {@code target/prometheus-venv} into which {@code pip} installs
 * {@code prometheus_client} from the configured package index the first time (test-only: no node feature needs it).
 */
final class PrometheusParser {

    private static final Path VENV = Path.of("target", "prometheus-venv").toAbsolutePath();
    private static final long INSTALL_TIMEOUT_S = 300;

    private PrometheusParser() {
    }

    /**
     * Parses {@code exposition}.
     *
     * @param exposition the text of {@code /metrics}
     * @param scratch    a folder for the text file
     * @return the parser's report: {@code family NAME TYPE} and {@code sample NAME {k=v,...} VALUE} lines
     * @throws AssertionError if the parser cannot be installed or refuses the text
     * @throws IOException    if a file cannot be written
     */
    static List<String> parse(final String exposition, final Path scratch) throws IOException {
        final Path python = python();
        final Path text = Files.writeString(scratch.resolve("metrics.txt"), exposition);
        final Path script = scratch.resolve("parse_metrics.py");
        try (var in = PrometheusParser.class.getClassLoader().getResourceAsStream("e2e/metrics/parse_metrics.py")) {
            if (in == null) {
                throw new IOException("missing test resource e2e/metrics/parse_metrics.py");
            }
            Files.write(script, in.readAllBytes());
        }
        return List.of(run(python.toString(), script.toString(), text.toString()).split("\n"));
    }

    private static synchronized Path python() throws IOException {
        final Path python = VENV.resolve("bin/python");
        if (Files.isExecutable(python) && imports(python)) {
            return python;
        }
        final String base = System.getProperty("itest.python", "python3");
        // --retries 0: an unreachable default index (offline, the mirror as an extra index) is not retried with back-off
        final List<String> install = List.of("install", "--disable-pip-version-check", "--retries", "0", "-q",
                "prometheus_client");
        try {
            // a venv without a pip of its own, filled by the base Python's pip (--python, pip 22.3+): copying pip
            // into a new venv was most of its making
            run(base, "-m", "venv", "--clear", "--without-pip", VENV.toString());
            run(concat(List.of(base, "-m", "pip", "--python", python.toString()), install));
        } catch (final AssertionError olderPip) {
            run(base, "-m", "venv", "--clear", VENV.toString());
            run(concat(List.of(python.toString(), "-m", "pip"), install));
        }
        return python;
    }

    private static String[] concat(final List<String> head, final List<String> tail) {
        final List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all.toArray(String[]::new);
    }

    private static boolean imports(final Path python) {
        try {
            run(python.toString(), "-c", "import prometheus_client.parser");
            return true;
        } catch (final AssertionError | IOException e) {
            return false;
        }
    }

    private static String run(final String... command) throws IOException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final byte[] out;
        try {
            out = process.getInputStream().readAllBytes();
            if (!process.waitFor(INSTALL_TIMEOUT_S, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + INSTALL_TIMEOUT_S + " s");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        final String text = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", new ArrayList<>(List.of(command))) + " failed (exit "
                    + process.exitValue() + "):\n" + text);
        }
        return text;
    }
}
