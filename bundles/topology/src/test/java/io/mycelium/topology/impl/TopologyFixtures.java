package io.mycelium.topology.impl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.mycelium.topology.Topology;

/** Loads the example topologies under src/test/resources. */
final class TopologyFixtures {

    private TopologyFixtures() {
    }

    /**
     * @param resource a path under the test resources, e.g. {@code seed/mode2-hybrid.toml}
     * @return the file's text
     */
    static String text(final String resource) {
        try (InputStream in = TopologyFixtures.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param resource a path under the test resources
     * @return the parsed topology, with the resource path as its source
     */
    static Topology parse(final String resource) {
        return new TopologyParser().parse(resource, text(resource));
    }
}
