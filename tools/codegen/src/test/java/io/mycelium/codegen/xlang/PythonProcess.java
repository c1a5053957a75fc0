package io.mycelium.codegen.xlang;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Runs {@code xlang_driver.py} in python3 with the generated package on PYTHONPATH; one process per batch. */
final class PythonProcess {

    private static final String PYTHON = System.getProperty("python.executable", "python3");

    private PythonProcess() {
    }

    /** Skips the calling test with a clear message when python3 is not installed. */
    static void assumePython() {
        boolean available;
        try {
            final Process process = new ProcessBuilder(PYTHON, "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            available = process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (final IOException e) {
            available = false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            available = false;
        }
        Assumptions.assumeTrue(available, PYTHON + " not found: cross-language codec tests skipped");
    }

    /**
     * @param pythonPath directory holding {@code mycelium_protocol}
     * @param input      lines for the driver's stdin
     * @param arguments  driver arguments
     * @return the driver's stdout lines
     */
    static List<String> run(final Path pythonPath, final List<String> input, final String... arguments)
        throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of(PYTHON, Path.of("src/test/resources/xlang_driver.py")
            .toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PYTHONPATH", pythonPath.toAbsolutePath().toString());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        final Process process = builder.start();
        final CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        final CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        try (OutputStream in = process.getOutputStream()) {
            in.write((String.join("\n", input) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("python driver did not finish within 120 s");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("python driver failed with status " + process.exitValue() + ":\n" + stderr.join());
        }
        return stdout.join().lines().toList();
    }

    private static String read(final InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            return "<unreadable: " + e + ">";
        }
    }
}
