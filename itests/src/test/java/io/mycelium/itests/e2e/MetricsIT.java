package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a node running the example services serves {@code /metrics} on its HTTP service, and the official
 * Prometheus client's text parser reads it: node, type, subscription and Python families with non-zero publish
 * counters for the example types (Java-published MarketData, Python-published TradeSignal), and the JVM basics.
 */
class MetricsIT {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path scratch;

    @Test
    void shouldServeParsableMetricsWithExampleCountersWhenExampleServicesRun() throws Exception {
        try (DistributionNode node = DistributionNode.builder().start().awaitReady()) {
            ExampleServices.deployJava(node);
            node.deploy(ExampleServices.shipped("market_consumer.py"), "market_consumer.py");
            final String metrics = node.consoleUrl().replace("/system/console", "/metrics");
            node.awaitTrue("MarketData (Java) and TradeSignal (Python) are counted in /metrics", FLOW_TIMEOUT,
                    () -> {
                        final String body = get(metrics).body();
                        return published(body, "MarketData") > 0 && published(body, "TradeSignal") > 0;
                    });

            final HttpResponse<String> response = get(metrics);
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    response.headers().toString());
            final List<String> parsed = PrometheusParser.parse(response.body(), scratch);

            assertTrue(parsed.contains("family mycelium_messages_published counter"), String.join("\n", parsed));
            assertTrue(parsed.contains("family mycelium_subscription_queue_depth gauge"), String.join("\n", parsed));
            assertTrue(parsed.contains("family mycelium_python_callback_errors counter"), String.join("\n", parsed));
            // the 0.0.4 text format has no info type: an info family is a gauge of value 1
            assertTrue(parsed.contains("family mycelium_node_info gauge"), String.join("\n", parsed));
            assertTrue(parsed.contains("family jvm_memory_used_bytes gauge"), String.join("\n", parsed));
            assertTrue(parsed.contains("sample mycelium_node_problems {} 0.0"), String.join("\n", parsed));
            assertTrue(sample(parsed, "mycelium_messages_published_total", "type=MarketData,type_id=1101") > 0,
                    String.join("\n", parsed));
            assertTrue(sample(parsed, "mycelium_messages_published_total", "type=TradeSignal,type_id=1100") > 0,
                    String.join("\n", parsed));
            assertTrue(sample(parsed, "mycelium_python_callbacks_total", "service=market_consumer") > 0,
                    String.join("\n", parsed));
        }
    }

    private static double sample(final List<String> parsed, final String name, final String labels) {
        final String prefix = "sample " + name + " {" + labels + "} ";
        return parsed.stream().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(
                l.substring(prefix.length()))).findFirst().orElseThrow(() -> new AssertionError(
                "no sample " + name + "{" + labels + "} in:\n" + String.join("\n", parsed)));
    }

    private static double published(final String exposition, final String type) {
        final Matcher m = Pattern.compile("^mycelium_messages_published_total\\{type=\"" + type
                + "\",type_id=\"\\d+\"} (\\S+)$", Pattern.MULTILINE).matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static HttpResponse<String> get(final String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new AssertionError("GET " + url + " failed: " + e, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
