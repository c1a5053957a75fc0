package io.mycelium.console.impl.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mycelium.console.impl.model.LinkRow;
import io.mycelium.console.impl.model.NodeSnapshot;
import io.mycelium.console.impl.model.SampleSnapshots;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

class NodeMetricsTest {

    private static String exposition(final NodeSnapshot node) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, NodeMetrics.metrics(node));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldNameTypeCountersByConventionWithTypeLabelsWhenExported() throws IOException {
        final String text = exposition(SampleSnapshots.node());

        assertTrue(text.contains("# TYPE mycelium_messages_published_total counter\n"), text);
        assertTrue(text.contains("mycelium_messages_published_total{type=\"MarketData\",type_id=\"1001\"} 9000.0\n"),
                text);
        assertTrue(text.contains("mycelium_messages_delivered_total{type=\"MarketData\",type_id=\"1001\"} 8000.0\n"),
                text);
        assertTrue(text.contains("mycelium_messages_dropped_total{reason=\"subscription_overflow\",type=\"MarketData\","
                + "type_id=\"1001\"} 2.0\n"), text);
        assertTrue(text.contains("mycelium_messages_unrouted_total{type=\"type 77\",type_id=\"77\"} 5.0\n"), text);
        assertTrue(text.contains("mycelium_messages_published_bytes_total{type=\"MarketData\",type_id=\"1001\"}"
                + " 432000.0\n"), text);
        assertFalse(text.contains("mycelium_messages_published_bytes_total{type=\"type 77\""),
                "a type of unknown size has no bytes");
    }

    @Test
    void shouldExportLinkRttFramesBytesAndDropsWhenLinksExist() throws IOException {
        final String text = exposition(SampleSnapshots.node());

        assertTrue(text.contains("# TYPE mycelium_link_rtt_seconds gauge\n"), text);
        assertTrue(text.contains("mycelium_link_rtt_seconds{peer=\"sink\",side=\"accepted\",transport=\"tcp\"}"
                + " 2.5E-4\n"), text);
        assertFalse(text.contains("mycelium_link_rtt_seconds{peer=\"ui\""), "no RTT before a PONG");
        assertTrue(text.contains("mycelium_link_frames_total{direction=\"in\",peer=\"sink\",side=\"accepted\","
                + "transport=\"tcp\"} 100.0\n"), text);
        assertTrue(text.contains("mycelium_link_bytes_total{direction=\"out\",peer=\"sink\",side=\"accepted\","
                + "transport=\"tcp\"} 8192.0\n"), text);
        assertTrue(text.contains("mycelium_link_frames_dropped_total{peer=\"sink\",reason=\"queue_full\","
                + "side=\"accepted\",transport=\"tcp\"} 3.0\n"), text);
        assertTrue(text.contains("mycelium_link_up{peer=\"ui\",side=\"dialed\",transport=\"tcp\"} 0.0\n"), text);
        assertTrue(text.contains("mycelium_link_reconnects_total{peer=\"ui\",side=\"dialed\",transport=\"tcp\"} 4.0\n"),
                text);
        assertTrue(text.contains("mycelium_transport_events_total{event=\"links_opened\",transport=\"tcp\"} 1.0\n"),
                text);
    }

    @Test
    void shouldExportSubscriptionQueuePythonAndNodeGaugesWhenPresent() throws IOException {
        final String text = exposition(SampleSnapshots.node());

        assertTrue(text.contains("mycelium_subscription_queue_depth{delivery=\"queued\",service=\"recorder\","
                + "subscription=\"1\",type=\"MarketData\"} 3.0\n"), text);
        assertTrue(text.contains("mycelium_python_callback_errors_total{service=\"scorer\"} 1.0\n"), text);
        assertTrue(text.contains("mycelium_python_callbacks_total{service=\"scorer\"} 42.0\n"), text);
        assertTrue(text.contains("mycelium_python_service_state{service=\"scorer\",state=\"finished\"} 1.0\n"), text);
        assertTrue(text.contains("mycelium_python_info{executable=\"/usr/bin/python3\",version=\"3.11.7\"} 1\n"),
                text);
        assertTrue(text.contains("mycelium_node_problems 1.0\n"), text);
        assertTrue(text.contains("mycelium_node_info{active=\"true\",digest=\"" + "ab".repeat(32)
                + "\",node=\"feed\",schema=\"examples\"} 1\n"), text);
        assertTrue(text.contains("mycelium_topology_rejected 0.0\n"), text);
    }

    @Test
    void shouldMergeRowsWhenTwoLinksShareTheirLabels() throws IOException {
        final NodeSnapshot sample = SampleSnapshots.node();
        final LinkRow first = sample.links().get(0);
        final LinkRow again = new LinkRow(first.peer(), first.transport(), first.direction(), first.protocol(),
                first.state(), "/127.0.0.2:40001", 0.5, 1, 2, 0, 0, 10, 20, 0, first.dropsByReason(), 0, "");
        final NodeSnapshot twice = new NodeSnapshot(0, sample.overview(), sample.topology(), sample.transports(),
                List.of(first, again), sample.types(), sample.subscriptions(), sample.python());

        final String text = exposition(twice);

        assertTrue(text.contains("mycelium_link_frames_total{direction=\"in\",peer=\"sink\",side=\"accepted\","
                + "transport=\"tcp\"} 101.0\n"), text);
        assertTrue(text.contains("mycelium_link_rtt_seconds{peer=\"sink\",side=\"accepted\",transport=\"tcp\"}"
                + " 5.0E-4\n"), text);
    }

    @Test
    void shouldLeaveOutPythonFamiliesWhenNoInterpreterRuns() throws IOException {
        final NodeSnapshot sample = SampleSnapshots.node();
        final NodeSnapshot noPython = new NodeSnapshot(0, sample.overview(), sample.topology(), List.of(), List.of(),
                List.of(), List.of(), new io.mycelium.console.impl.model.PythonView(false, "", "", List.of()));

        final String text = exposition(noPython);

        assertFalse(text.contains("mycelium_python"), text);
        assertFalse(text.contains("mycelium_link_"), text);
        assertEquals(1, text.lines().filter(l -> l.startsWith("mycelium_node_problems ")).count());
    }
}
