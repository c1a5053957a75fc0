package io.mycelium.itests.e2e;

import io.mycelium.testsupport.TestFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One node of the assembled distribution, run as a child process the way a user runs it: {@code bin/mycelium run}
 * in a temporary data folder, on a free console port, with a password of its own. Tests drop files into its
 * {@code deploy/}, talk to its Web Console and stop it with a signal.
 *
 * <p>Not thread-safe: one test thread drives a node. Its output goes to {@code node.log} in its folder.
 */
public final class DistributionNode implements AutoCloseable {

    /** How long a node may take to print READY on a loaded 2-core machine. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /**
     * JVM options of every test node, before any MYCELIUM_JAVA_OPTS of the caller's environment (which win): the
     * client compiler only. A test node lives seconds; the server compiler's work on Felix's start-up code never
     * pays back there, and on 2 cores shared by the suite's nodes it cost a third of a node's CPU time to READY
     * (about 6 s of CPU instead of 4 s).
     */
    static final String NODE_JAVA_OPTS = "-XX:TieredStopAtLevel=1";
    private static final Pattern READY = Pattern.compile(
            "READY node=(\\S+) console=(\\S+) deploy=(\\S+) time=([0-9.]+)s(?: problems=(\\d+))?"
                    + "(?: mycelium=(\\S+) metrics=(\\S+))?");

    private final Path dir;
    private final Path home;
    private final Path deploy;
    private final String password;
    private final Process process;
    private final OutputCollector output;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Matcher ready;

    private DistributionNode(final Path dir, final Path home, final Path deploy, final String password,
                             final Process process) {
        this.dir = dir;
        this.home = home;
        this.deploy = deploy;
        this.password = password;
        this.process = process;
        this.output = new OutputCollector(dir.resolve("node.log"), process);
    }

    /** @return the distribution built by the reactor ({@code assembly/target/mycelium}) */
    public static Path distribution() {
        final Path dist = Path.of(System.getProperty("mycelium.dist", "../assembly/target/mycelium"));
        if (!Files.isExecutable(dist.resolve("bin/mycelium"))) {
            throw new IllegalStateException("no distribution at " + dist.toAbsolutePath() + " (run mvn verify)");
        }
        return dist.toAbsolutePath().normalize();
    }

    /** @return a builder of a node in a fresh temporary folder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Waits for the READY line. A node that misses it is stopped before the error is thrown: tests call this in
     * their try-with-resources header ({@code start().awaitReady()}), where a throw leaves nothing to close, and a
     * leaked node kept burning CPU for the rest of the suite, making the next nodes miss READY too.
     *
     * @return this node
     * @throws AssertionError if the process exits or stays silent past {@link #READY_TIMEOUT}
     */
    public DistributionNode awaitReady() {
        final Optional<String> found = output.await(READY.asPredicate(), READY_TIMEOUT);
        if (found.isEmpty()) {
            final AssertionError error = new AssertionError("no READY line within " + READY_TIMEOUT.toSeconds()
                    + " s; exit " + exitCode() + "; output:\n" + output());
            try {
                close();
            } catch (final IOException | RuntimeException e) {
                error.addSuppressed(e);
            }
            throw error;
        }
        final String line = found.get();
        final Matcher matcher = READY.matcher(line);
        if (!matcher.find()) {
            throw new AssertionError("unparsable READY line " + line);
        }
        ready = matcher;
        return this;
    }

    /** @return the node name from the READY line */
    public String nodeName() {
        return requireReady().group(1);
    }

    /** @return the console URL from the READY line ({@code http://127.0.0.1:PORT/system/console}) */
    public String consoleUrl() {
        return requireReady().group(2);
    }

    /** @return the problems the READY line counted */
    public int problems() {
        return Integer.parseInt(requireReady().group(5));
    }

    /** @return the Mycelium page's URL from the READY line ({@code http://127.0.0.1:PORT/system/console/mycelium}) */
    public String myceliumUrl() {
        return requireReady().group(6);
    }

    /** @return the metrics URL from the READY line ({@code http://127.0.0.1:PORT/metrics}) */
    public String metricsUrl() {
        return requireReady().group(7);
    }

    /** @return the seconds to READY the node reported */
    public double secondsToReady() {
        return Double.parseDouble(requireReady().group(4));
    }

    /** @return the node's deploy folder */
    public Path deployDir() {
        return deploy;
    }

    /** @return the node's data folder */
    public Path dataDir() {
        return dir.resolve("data");
    }

    /** @return the distribution folder the node runs from */
    public Path home() {
        return home;
    }

    /** @return the console password the node was started with */
    public String password() {
        return password;
    }

    /** @return everything the node printed so far, stdout and stderr interleaved by line */
    public String output() {
        return output.text();
    }

    /**
     * Waits until the node prints a line containing {@code text}.
     *
     * @param text    the text
     * @param timeout the bound
     * @return the line
     */
    public String awaitOutput(final String text, final Duration timeout) {
        return output.await(line -> line.contains(text), timeout).orElseThrow(() -> new AssertionError(
                "no output line containing '" + text + "' within " + timeout.toSeconds() + " s; output:\n" + output()));
    }

    /**
     * Copies a file into deploy/ atomically (a hidden temporary name, then a rename), as operators should.
     *
     * @param source the file
     * @param name   its name in deploy/
     * @return the deployed path
     * @throws IOException if copying fails
     */
    public Path deploy(final Path source, final String name) throws IOException {
        final Path tmp = deploy.resolve("." + name + ".tmp");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        return Files.move(tmp, deploy.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Writes a text file into deploy/ atomically.
     *
     * @param name    the file name
     * @param content the text
     * @return the deployed path
     * @throws IOException if writing fails
     */
    public Path deployText(final String name, final String content) throws IOException {
        final Path tmp = deploy.resolve("." + name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        return Files.move(tmp, deploy.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Removes a file from deploy/.
     *
     * @param name the file name
     * @throws IOException if deleting fails
     */
    public void undeploy(final String name) throws IOException {
        Files.delete(deploy.resolve(name));
    }

    /**
     * GETs a console path with the node's credentials.
     *
     * @param path a path below {@code /system/console}, e.g. {@code /bundles.json}
     * @return the response
     */
    public HttpResponse<String> console(final String path) {
        return consoleAs("admin", password, path);
    }

    /**
     * GETs a console path with the given credentials.
     *
     * @param user     the user
     * @param secret   the password
     * @param path     a path below {@code /system/console}
     * @return the response
     */
    public HttpResponse<String> consoleAs(final String user, final String secret, final String path) {
        final String auth = Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
        final HttpRequest request = HttpRequest.newBuilder(URI.create(consoleUrl() + path))
                .header("Authorization", "Basic " + auth).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new AssertionError("GET " + request.uri() + " failed: " + e, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Polls a condition until it holds.
     *
     * @param what      what is awaited
     * @param timeout   the bound
     * @param condition the condition
     */
    public void awaitTrue(final String what, final Duration timeout, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + timeout.toSeconds() + " s: " + what + "; output:\n"
                        + output());
            }
            if (!process.isAlive()) {
                throw new AssertionError("node exited with " + process.exitValue() + " while waiting for " + what
                        + "; output:\n" + output());
            }
            pause();
        }
    }

    /**
     * Sends SIGTERM and waits for the process to exit.
     *
     * @param timeout the bound
     * @return the exit code
     */
    public int stop(final Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    /**
     * Waits for the process to exit on its own.
     *
     * @param timeout the bound
     * @return the exit code
     */
    public int awaitExit(final Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("node did not exit within " + timeout.toSeconds() + " s; output:\n"
                        + output());
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    /** Kills the node with SIGKILL, as a crash would. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** @return the process id, for checks of stray processes */
    public long pid() {
        return process.pid();
    }

    private Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    private Matcher requireReady() {
        if (ready == null) {
            throw new IllegalStateException("call awaitReady() first");
        }
        return ready;
    }

    /** Stops the node (SIGKILL if SIGTERM is not enough) and deletes its temporary folder. */
    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        TestFiles.deleteRecursively(dir);
    }


    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Configures and starts a node. */
    public static final class Builder {
        private final List<String> args = new ArrayList<>();
        private Consumer<Path> etcCustomizer;
        private String consolePort = "0";
        private Path deploy;
        private Path data;
        private String password = "pw-" + UUID.randomUUID();

        /** @param node the node name ({@code --node}) @return this */
        public Builder node(final String node) {
            args.add("--node");
            args.add(node);
            return this;
        }

        /** @param topology the topology file ({@code --topology}) @return this */
        public Builder topology(final Path topology) {
            args.add("--topology");
            args.add(topology.toString());
            return this;
        }

        /** @param port a fixed console port, or {@code off} @return this */
        public Builder consolePort(final String port) {
            consolePort = port;
            return this;
        }

        /** @param dir a deploy folder to use instead of a fresh one @return this */
        public Builder deploy(final Path dir) {
            deploy = dir;
            return this;
        }

        /** @param dir a data folder to use instead of a fresh one @return this */
        public Builder data(final Path dir) {
            data = dir;
            return this;
        }

        /** @param secret the console password, or {@code null} to let the node use etc/ @return this */
        public Builder password(final String secret) {
            password = secret;
            return this;
        }

        /** @param arg a raw extra argument @return this */
        public Builder arg(final String arg) {
            args.add(arg);
            return this;
        }

        /**
         * Runs the node from a private copy of the distribution whose {@code etc/} the customizer may change
         * (lib/ and system/ are linked, not copied).
         *
         * @param customizer changes to etc/
         * @return this
         */
        public Builder privateHome(final Consumer<Path> customizer) {
            etcCustomizer = customizer;
            return this;
        }

        /**
         * Starts the node; call {@link DistributionNode#awaitReady()} next.
         *
         * @return the running node
         * @throws IOException if the process or folders cannot be created
         */
        public DistributionNode start() throws IOException {
            final Path dir = Files.createTempDirectory("mycelium-e2e-");
            final Path home = etcCustomizer == null ? distribution() : privateCopy(dir.resolve("home"));
            final Path deployDir = deploy == null ? dir.resolve("deploy") : deploy;
            Files.createDirectories(deployDir);
            final List<String> command = new ArrayList<>(List.of(home.resolve("bin/mycelium").toString(), "run",
                    "--data", (data == null ? dir.resolve("data") : data).toString(), "--deploy",
                    deployDir.toString(), "--console-port", consolePort, "--nointeractive"));
            command.addAll(args);
            // The node's working directory is its temporary folder, so files a service writes to relative paths
            // (the seed's torch snippet saves model.pt) never land in the source tree.
            final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile());
            final Map<String, String> env = builder.environment();
            env.merge("MYCELIUM_JAVA_OPTS", NODE_JAVA_OPTS, (callers, ours) -> ours + " " + callers);
            env.remove("MYCELIUM_CONSOLE_PASSWORD");
            if (password != null) {
                env.put("MYCELIUM_CONSOLE_PASSWORD", password);
            }
            return new DistributionNode(dir, home, deployDir, password, builder.start());
        }

        private Path privateCopy(final Path home) throws IOException {
            final Path dist = distribution();
            Files.createDirectories(home);
            for (final String linked : new String[] {"lib", "system", "python", "examples"}) {
                if (Files.exists(dist.resolve(linked))) {
                    Files.createSymbolicLink(home.resolve(linked), dist.resolve(linked));
                }
            }
            for (final String copied : new String[] {"bin", "etc"}) {
                try (Stream<Path> paths = Files.walk(dist.resolve(copied))) {
                    for (final Path source : paths.toList()) {
                        final Path target = home.resolve(dist.relativize(source).toString());
                        if (Files.isDirectory(source)) {
                            Files.createDirectories(target);
                        } else if (!source.getFileName().toString().equals("console.password")) {
                            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                        }
                    }
                }
            }
            etcCustomizer.accept(home.resolve("etc"));
            return home;
        }
    }

    /**
     * Reads what the process writes to its log file. A file rather than a pipe: the JDK may close a pipe under a
     * reader when the process exits, losing the last lines (the ones that tell how it stopped). Reads only what was
     * appended since the last look: tests poll every 20 ms, and re-reading and decoding a whole log each time cost
     * the test JVM a core's share beside the nodes it waits for.
     *
     * <p>Thread-safe (synchronized): a test thread polls it; nothing else touches it.
     */
    private static final class OutputCollector {
        private final Path file;
        private final Process process;
        private final List<String> lines = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream unfinished = new ByteArrayOutputStream();
        private final byte[] chunk = new byte[64 * 1024];
        private long position;
        private String failure;

        OutputCollector(final Path file, final Process process) {
            this.file = file;
            this.process = process;
        }

        Optional<String> await(final Predicate<String> predicate, final Duration timeout) {
            final long deadline = System.nanoTime() + timeout.toNanos();
            int checked = 0;
            while (true) {
                final boolean exited = !process.isAlive();
                final List<String> all = lines();
                // complete lines are checked once; the unfinished last one again until its end arrives
                for (int i = checked; i < all.size(); i++) {
                    if (predicate.test(all.get(i))) {
                        return Optional.of(all.get(i));
                    }
                }
                checked = completeLines();
                if (exited || System.nanoTime() > deadline) {
                    return Optional.empty();
                }
                pause();
            }
        }

        /** @return every line so far; the last one may still be unfinished (no line break yet) */
        synchronized List<String> lines() {
            readAppended();
            final List<String> all = new ArrayList<>(lines.size() + 2);
            all.addAll(lines);
            if (unfinished.size() > 0) {
                all.add(unfinished.toString(StandardCharsets.UTF_8));
            }
            if (failure != null) {
                all.add(failure);
            }
            return all;
        }

        synchronized String text() {
            readAppended();
            final StringBuilder all = new StringBuilder(text.length() + unfinished.size() + 1).append(text);
            if (unfinished.size() > 0) {
                all.append(unfinished.toString(StandardCharsets.UTF_8));
            } else if (!all.isEmpty()) {
                all.setLength(all.length() - 1); // no line break after the last line, as String.join gave
            }
            if (failure != null) {
                all.append(all.isEmpty() ? "" : "\n").append(failure);
            }
            return all.toString();
        }

        private synchronized int completeLines() {
            return lines.size();
        }

        private void readAppended() {
            if (!Files.exists(file)) {
                return;
            }
            try (SeekableByteChannel channel = Files.newByteChannel(file)) {
                channel.position(position);
                final ByteBuffer buffer = ByteBuffer.wrap(chunk);
                int read;
                while ((read = channel.read(buffer.clear())) > 0) {
                    position += read;
                    int from = 0;
                    for (int i = 0; i < read; i++) {
                        if (chunk[i] == '\n') {
                            unfinished.write(chunk, from, i - from);
                            addLine();
                            from = i + 1;
                        }
                    }
                    unfinished.write(chunk, from, read - from);
                }
                failure = null;
            } catch (final IOException e) {
                failure = "[e2e harness: cannot read " + file + ": " + e + "]";
            }
        }

        private void addLine() {
            String line = unfinished.toString(StandardCharsets.UTF_8);
            unfinished.reset();
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            lines.add(line);
            text.append(line).append('\n');
        }
    }
}
