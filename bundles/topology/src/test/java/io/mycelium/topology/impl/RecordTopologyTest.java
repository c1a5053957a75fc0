package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.ConfigurationException;
import io.mycelium.topology.Endpoint.Kind;
import io.mycelium.topology.Recording;
import io.mycelium.topology.Topology;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** {@code record = [...]} on a node: parsing, validation naming the line, and the Aeron transport's properties. */
class RecordTopologyTest {

    private static final String FEED = """
            [[nodes]]
            name = "feed"
            services = ["a"]
            host = "127.0.0.1"
            port = 40123
            endpoint.kind = "aeron"
            """;
    private static final String SINK = """
            [[nodes]]
            name = "sink"
            services = ["b"]
            host = "127.0.0.2"
            port = 40124
            endpoint.kind = "aeron"
            """;

    private static Topology parse(final String text) {
        return new TopologyParser().parse("t.toml", text);
    }

    private static String refused(final String text) {
        return assertThrows(ConfigurationException.class, () -> parse(text)).getMessage();
    }

    @Test
    void shouldReadRecordedTypesAsListOrTableWithRetention() {
        assertEquals(Optional.of(new Recording(List.of("MarketData", "Trade"), "")),
                parse(FEED + "record = [\"MarketData\", \"Trade\"]\n" + SINK).node("feed").orElseThrow().record());
        assertEquals(Optional.of(new Recording(List.of("MarketData"), "24h, 2GiB")),
                parse(FEED + "record.types = [\"MarketData\"]\nrecord.retention = \"24h, 2GiB\"\n" + SINK)
                        .node("feed").orElseThrow().record());
        assertEquals(Optional.empty(), parse(FEED + SINK).node("sink").orElseThrow().record());
    }

    @Test
    void shouldGiveTheAeronTransportWhatThisNodeAndItsPeersRecord() {
        final Topology topology = parse(FEED + "record = { types = [\"MarketData\"], retention = \"512MiB\" }\n"
                + SINK);
        assertEquals(Map.of("record.types", "MarketData", "record.retention", "512MiB"),
                NodePlan.of(topology, "feed").transports().get(Kind.AERON).security());
        assertEquals(Map.of("recorded.peers", "feed=MarketData"),
                NodePlan.of(topology, "sink").transports().get(Kind.AERON).security());
    }

    @Test
    void shouldRefuseBadRecordsNamingTheLine() {
        assertTrue(refused(FEED + "record = []\n" + SINK).startsWith("t.toml:7: node 'feed' record must list"),
                "empty");
        assertTrue(refused(FEED + "record = \"MarketData\"\n" + SINK).contains("t.toml:7: node 'feed' record must"
                + " list"), "not a list");
        assertTrue(refused(FEED + "record = [\"A\", \"A\"]\n" + SINK).contains("t.toml:7: node 'feed' records type"
                + " 'A' twice"), "twice");
        assertTrue(refused(FEED + "record = [\"bad name\"]\n" + SINK).contains("record type 'bad name' has an"
                + " invalid name"), "name");
        assertTrue(refused(FEED + "record.types = [\"A\"]\nrecord.retention = \"forever\"\n" + SINK)
                .contains("t.toml:8: node 'feed' has record.retention 'forever'"), "retention");
        assertTrue(refused(FEED + "record.types = [\"A\"]\nrecord.keep = 3\n" + SINK)
                .contains("t.toml:8: node 'feed' record has unknown key 'keep'"), "key");
        final String tcp = refused("""
                [[nodes]]
                name = "feed"
                services = ["a"]
                record = ["A"]
                """);
        assertTrue(tcp.contains("t.toml:4: node 'feed' records types but does not declare an Aeron endpoint"), tcp);
    }
}
