package io.mycelium.itests.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@code bin/mycelium} command of the assembled distribution to its end, as a user would from a shell.
 *
 * @param exit   the exit status
 * @param output stdout and stderr, interleaved
 */
record DistributionCommand(int exit, String output) {

    /**
     * Runs {@code bin/mycelium args...} and waits up to 60 s for it.
     *
     * @throws AssertionError when it does not end in time (it is killed)
     */
    static DistributionCommand run(final String... args) throws Exception {
        final List<String> command = new ArrayList<>(List.of(
                DistributionNode.distribution().resolve("bin/mycelium").toString()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new DistributionCommand(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
