package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Guessing the Web Console password is slowed down per client address and logged (issue 13, item 6): the first
 * failures cost nothing, then each attempt from that address waits longer (a hurried burst is answered 429 without
 * its password being checked), failures are logged rate-limited naming the address and user but never the
 * password, and the right password still works at once from another address and, after its wait, from the
 * throttled one, which it clears. Requests go out from 127.0.0.1 and 127.0.0.2 (two simulated clients).
 */
class ConsoleLoginThrottleIT {

    private static final String WRONG = "wrong-pw-7f3a9c";
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void shouldSlowDownAndLogFailedLoginsPerAddressWhenPasswordIsGuessed() throws Exception {
        try (DistributionNode node = DistributionNode.builder().start().awaitReady()) {
            final URI console = URI.create(node.consoleUrl());
            final long start = System.nanoTime();

            // 5 free failures (typos), then 250, 500, 1000, 2000 ms before the attempts that follow
            final List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                final long t = System.nanoTime();
                assertEquals(401, get(console, "127.0.0.1", "admin", WRONG).status());
                millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
            }
            assertTrue(millis.get(8) >= 1_900, "the 9th failure waited the 4th doubling: " + millis);
            assertTrue(millis.subList(5, 9).stream().mapToLong(Long::longValue).sum() >= 3_600,
                    "attempts 6-9 waited 250+500+1000+2000 ms: " + millis);

            // another client is not slowed down by this one's failures
            final long other = System.nanoTime();
            assertEquals(200, get(console, "127.0.0.2", "admin", node.password()).status());
            assertTrue(System.nanoTime() - other < TimeUnit.SECONDS.toNanos(2), "127.0.0.2 was not delayed");

            // a hurried burst from the throttled address: queued a delay apart, the rest refused unchecked
            final List<Response> burst = burst(console, 21);
            assertTrue(burst.stream().anyMatch(r -> r.status() == 429 && r.retryAfter() > 0), burst.toString());
            assertTrue(burst.stream().allMatch(r -> r.status() == 429 || r.status() == 401), burst.toString());

            // the right password from the throttled address works once its wait is over, and clears it
            final long deadline = System.nanoTime() + BOUND.toNanos();
            Response right = get(console, "127.0.0.1", "admin", node.password());
            while (right.status() == 429 && System.nanoTime() < deadline) {
                TimeUnit.SECONDS.sleep(right.retryAfter()); // the wait the server asked for, bounded above
                right = get(console, "127.0.0.1", "admin", node.password());
            }
            assertEquals(200, right.status(), right.toString());
            final long cleared = System.nanoTime();
            assertEquals(401, get(console, "127.0.0.1", "admin", WRONG).status());
            assertTrue(System.nanoTime() - cleared < TimeUnit.SECONDS.toNanos(2), "the success cleared 127.0.0.1");

            final String log = node.output();
            assertFalse(log.contains(WRONG), "the password never reaches the log");
            final List<String> warnings = log.lines().filter(l -> l.contains("WARN") && l.contains("Web Console: "))
                    .toList();
            assertTrue(warnings.get(0).contains("failed login for user 'admin' from 127.0.0.1 (1 in a row"),
                    warnings.toString());
            final long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(warnings.size() <= 2 + seconds / 10, "at most one line per 10 s: " + warnings);
            assertTrue(warnings.size() == 1 || warnings.get(1).contains(" more in 10 s)"),
                    "the next line counts the ones left out: " + warnings);
        }
    }

    private static List<Response> burst(final URI console, final int requests) throws Exception {
        final ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            final List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                answers.add(pool.submit(() -> get(console, "127.0.0.1", "admin", WRONG)));
            }
            final List<Response> responses = new ArrayList<>();
            for (final Future<Response> answer : answers) {
                responses.add(answer.get(BOUND.toSeconds(), TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private record Response(int status, long retryAfter) {
    }

    /** A GET of the console's bundle list with Basic credentials, sent from {@code from} (a loopback address). */
    private static Response get(final URI console, final String from, final String user, final String password)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(console.getHost(), console.getPort()), 5_000);
            socket.setSoTimeout((int) BOUND.toMillis());
            final String credentials = Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            final OutputStream out = socket.getOutputStream();
            out.write(("GET " + console.getPath() + "/bundles.json HTTP/1.1\r\nHost: " + console.getHost() + ":"
                    + console.getPort() + "\r\nAuthorization: Basic " + credentials
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final InputStream in = socket.getInputStream();
            final String head = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\r\n\r\n", 2)[0];
            final String[] lines = head.split("\r\n");
            final int status = Integer.parseInt(lines[0].split(" ")[1]);
            long retryAfter = 0;
            for (final String line : lines) {
                if (line.regionMatches(true, 0, "Retry-After:", 0, 12)) {
                    retryAfter = Long.parseLong(line.substring(12).trim());
                }
            }
            return new Response(status, retryAfter);
        }
    }
}
