package io.mycelium.benchmarks.transport;

import io.mycelium.api.Delivery;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.transport.shm.impl.ShmEndpoints;
import io.mycelium.transport.shm.impl.ShmTransportComponent;
import io.mycelium.transport.stream.LinkSecurity;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.OverflowPolicy;
import io.mycelium.transport.stream.StreamEndpoints;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.unix.impl.UnixEndpoints;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python SDK client -&gt; Java node -&gt; back, over the Unix transport and over shared memory in the same run: a Java
 * echo node (a {@link StreamTransport} whose bus answers every PING with a PONG on the link's reader thread) listens
 * on a Unix socket and on an shm endpoint, and {@code benchmarks/src/main/python/sdk_pingpong.py} runs against each
 * with {@code UnixTransport} and {@code ShmTransport}, one process after the other, so both see the same machine
 * state. The Python process prints the one-way latency (round trip / 2) as {@code RESULT} lines, which are passed
 * through; a last line gives the ratio of the two p50s (the target: shm at least 3x better).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.mycelium.benchmarks.transport.PythonClientLatencyHarness SCRIPT SDK_DIR
 * [rounds] [python] [read.spin.micros]}; {@code benchmarks/run-python-sdk.sh} runs it.
 */
public final class PythonClientLatencyHarness {

    private static final int PING = 1001;
    private static final int PONG = 1002;
    private static final int SIZE = 64;
    private static final Pattern P50 = Pattern.compile("\"name\": \"python-sdk-(uds|shm)-one-way-64\", \"metric\": "
            + "\"p50_ns\", \"value\": ([0-9.]+)");

    private PythonClientLatencyHarness() {
    }

    public static void main(final String[] args) throws Exception {
        final Path script = Path.of(args[0]);
        final Path sdk = Path.of(args[1]);
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        final String python = args.length > 3 ? args[3] : "python3";
        final long spin = args.length > 4 ? Long.parseLong(args[4]) : LinkSettings.DEFAULT_READ_SPIN_MICROS;
        final Path dir = Files.createTempDirectory("mycelium-bench-py");
        final byte[] digest = MessageDigest.getInstance("SHA-256").digest("bench".getBytes(StandardCharsets.UTF_8));
        final RawSchema schema = new RawSchema("bench", digest, Map.of(PING, SIZE, PONG, SIZE));
        final double[] p50 = new double[2];
        final String[] kinds = {"unix", "shm"};
        for (int k = 0; k < kinds.length; k++) {
            final String kind = kinds[k];
            final LoopbackBus[] bus = {new LoopbackBus()};
            bus[0].subscribeRaw(PING, (typeId, payload) -> bus[0].publishRaw(PONG, payload), Delivery.INLINE);
            final StreamEndpoints endpoints = kind.equals("shm")
                    ? new ShmEndpoints(ShmTransportComponent.DEFAULT_RING_CAPACITY, spin)
                    : new UnixEndpoints(UnixEndpoints.DEFAULT_MODE);
            final String listen = dir.resolve(kind.equals("shm") ? "echo.shm" : "echo.sock").toString();
            try (StreamTransport echo = new StreamTransport(settings(spin), endpoints, bus[0], schema,
                    LinkSecurity.DEFAULT)) {
                echo.start(listen, Map.of());
                p50[k] = runClient(python, script, sdk, kind, listen, HexFormat.of().formatHex(digest), rounds);
            }
        }
        System.out.printf(java.util.Locale.ROOT, "python-sdk one-way p50: unix %.0f ns, shm %.0f ns: shm is %.2fx"
                + " better (target >= 3x); load %s%n", p50[0], p50[1], p50[0] / p50[1],
                Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static LinkSettings settings(final long spin) {
        return new LinkSettings("echo", 8, 1 << 20, 5_000, 1 << 17, OverflowPolicy.DROP_NEWEST, 128, 1_000, 30_000,
                100, 1_000, 2_000, false, spin);
    }

    /** Runs the Python client against one endpoint, passes its output through, returns its p50 in ns. */
    private static double runClient(final String python, final Path script, final Path sdk, final String kind,
            final String path, final String digest, final int rounds) throws Exception {
        final ProcessBuilder builder = new ProcessBuilder(List.of(python, script.toString(), kind, path, digest,
                Integer.toString(rounds), Integer.toString(Math.max(1_000, rounds / 10)))).redirectErrorStream(true);
        builder.environment().put("PYTHONPATH", sdk.toString());
        final Process process = builder.start();
        double p50 = Double.NaN;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println(line);
                final Matcher matcher = P50.matcher(line);
                if (matcher.find()) {
                    p50 = Double.parseDouble(matcher.group(2));
                }
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0 || Double.isNaN(p50)) {
            throw new IllegalStateException("the Python client over " + kind + " failed (exit "
                    + (process.isAlive() ? "none: still running" : process.exitValue()) + "); see its output above");
        }
        return p50;
    }
}
