package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.mycelium.topology.Route;
import io.mycelium.topology.Topology;

import org.junit.jupiter.api.Test;

class RouterTest {

    private static final Topology HOSTS = new TopologyParser().parse("t", """
            [[nodes]]
            name = "absent"
            services = ["a"]
            [[nodes]]
            name = "localhost"
            services = ["b"]
            host = "localhost"
            [[nodes]]
            name = "loopback"
            services = ["c"]
            host = "127.0.0.1"
            [[nodes]]
            name = "shm"
            services = ["d"]
            endpoint.kind = "shm"
            [[nodes]]
            name = "remote1"
            services = ["e"]
            host = "10.0.0.1"
            port = 9000
            [[nodes]]
            name = "remote1-too"
            services = ["f"]
            host = "10.0.0.1"
            port = 9001
            [[nodes]]
            name = "remote2"
            services = ["g"]
            host = "10.0.0.2"
            port = 9000
            [[nodes]]
            name = "remote1-shm"
            services = ["h"]
            host = "10.0.0.1"
            port = 9002
            endpoint = { kind = "shm", path = "/dev/shm/x.shm" }
            """);

    @Test
    void shouldRouteInProcessWhenSameNode() {
        assertEquals(Route.IN_PROCESS, Router.route(HOSTS, "remote1", "remote1"));
        assertEquals(Route.IN_PROCESS, Router.route(HOSTS, "absent", "absent"));
    }

    @Test
    void shouldRouteUnixWhenSameHostUnderAnyLoopbackSpelling() {
        assertEquals(Route.UNIX, Router.route(HOSTS, "absent", "localhost"));
        assertEquals(Route.UNIX, Router.route(HOSTS, "localhost", "loopback"));
        assertEquals(Route.UNIX, Router.route(HOSTS, "loopback", "absent"));
        assertEquals(Route.UNIX, Router.route(HOSTS, "remote1", "remote1-too"));
    }

    @Test
    void shouldRouteShmWhenSameHostAndTargetDeclaresShm() {
        assertEquals(Route.SHM, Router.route(HOSTS, "absent", "shm"));
        assertEquals(Route.UNIX, Router.route(HOSTS, "shm", "absent"));
        assertEquals(Route.SHM, Router.route(HOSTS, "remote1", "remote1-shm"));
    }

    @Test
    void shouldRouteTcpWhenDifferentHosts() {
        assertEquals(Route.TCP, Router.route(HOSTS, "absent", "remote1"));
        assertEquals(Route.TCP, Router.route(HOSTS, "remote1", "localhost"));
        assertEquals(Route.TCP, Router.route(HOSTS, "remote1", "remote2"));
        assertEquals(Route.TCP, Router.route(HOSTS, "remote2", "remote1-shm"));
        assertEquals(Route.TCP, Router.route(HOSTS, "shm", "remote1-shm"));
    }

    @Test
    void shouldListRoutesToEveryOtherNodeWhenAskedFromOneNode() {
        final Map<String, Route> routes = Router.routesFrom(TopologyFixtures.parse("seed/mixed-deployment.toml"),
                "ml-node");
        assertEquals(Map.of("strategy-node", Route.TCP, "alerts-node", Route.UNIX), routes);
    }

    @Test
    void shouldNameKnownNodesWhenNodeUnknown() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Router.route(HOSTS, "absent", "nope"));
        assertTrue(e.getMessage().contains("node 'nope' not found (known: absent, localhost"), e.getMessage());
    }
}
