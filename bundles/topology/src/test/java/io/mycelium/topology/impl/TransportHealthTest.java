package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mycelium.topology.Endpoint.Kind;

import org.junit.jupiter.api.Test;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

class TransportHealthTest {

    private static final TransportPlan TCP = new TransportPlan(Kind.TCP, "a", Optional.of("127.0.0.1:9000"),
            List.of(), "/tmp/mycelium");
    private static final TransportPlan SHM = new TransportPlan(Kind.SHM, "a", Optional.of("/dev/shm/a.shm"),
            List.of(), "/tmp/mycelium");

    @Test
    void shouldNameTheOriginAndTheFixWhenNoComponentTakesTheKind() {
        final TransportHealth.Result result = TransportHealth.judge(Map.of(Kind.SHM, new TransportHealth.Need(SHM,
                "topology.toml:4: node 'a' has endpoint.kind = \"shm\"")), List.of(description("io.mycelium"
                + ".transport.tcp")), d -> List.of());
        assertEquals(List.of("topology.toml:4: node 'a' has endpoint.kind = \"shm\", but no transport bundle "
                + "provides endpoint.kind = \"shm\" (no component takes configuration io.mycelium.transport.shm), so"
                + " this node has no shm transport. Fix: use endpoint.kind = \"unix\" or \"tcp\" until a shm "
                + "transport bundle is installed"), result.problems());
    }

    @Test
    void shouldNameTheEndpointAndReasonWhenActivationFailed() {
        final ComponentConfigurationDTO failed = configuration(ComponentConfigurationDTO.FAILED_ACTIVATION);
        failed.failure = "org.osgi.service.component.ComponentException: java.lang.reflect.InvocationTargetException"
                + "\n\tat org.apache.felix.scr.Foo.bar(Foo.java:1)\nCaused by: java.lang.reflect."
                + "InvocationTargetException: null\nCaused by: java.io.IOException: cannot listen on TCP "
                + "127.0.0.1:9000: Address already in use; is another process using the port?\n\t... 3 more\n"
                + "Caused by: java.net.BindException: Address already in use";
        final TransportHealth.Result result = judgeTcp(failed);
        assertEquals(List.of("tcp transport (io.mycelium.transport.tcp~topology, listen 127.0.0.1:9000) failed to "
                + "start: cannot listen on TCP 127.0.0.1:9000: Address already in use; is another process using the"
                + " port?"), result.problems());
    }

    @Test
    void shouldBePendingUntilTheConfigurationIsDeliveredAndFineWhileWaitingForASchema() {
        assertEquals(1, TransportHealth.judge(Map.of(Kind.TCP, new TransportHealth.Need(TCP, "t")),
                List.of(description("io.mycelium.transport.tcp")), d -> List.of()).pending().size());
        final TransportHealth.Result waiting = judgeTcp(configuration(ComponentConfigurationDTO.UNSATISFIED_REFERENCE));
        assertTrue(waiting.problems().isEmpty() && waiting.pending().isEmpty(), waiting.toString());
        final TransportHealth.Result active = judgeTcp(configuration(ComponentConfigurationDTO.ACTIVE));
        assertTrue(active.problems().isEmpty() && active.pending().isEmpty(), active.toString());
    }

    @Test
    void shouldKeepTheWholeLineWhenTheFailureIsNoException() {
        assertEquals("something odd", TransportHealth.reason("something odd"));
        assertEquals("boom", TransportHealth.reason("java.lang.IllegalStateException: boom"));
        assertEquals("unknown reason (see the log above)", TransportHealth.reason(null));
    }

    private static TransportHealth.Result judgeTcp(final ComponentConfigurationDTO configuration) {
        return TransportHealth.judge(Map.of(Kind.TCP, new TransportHealth.Need(TCP, "t")),
                List.of(description("io.mycelium.transport.tcp")), d -> List.of(configuration));
    }

    private static ComponentDescriptionDTO description(final String pid) {
        final ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = pid;
        d.configurationPid = new String[] {pid};
        return d;
    }

    private static ComponentConfigurationDTO configuration(final int state) {
        final ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.state = state;
        c.properties = Map.of("service.pid", "io.mycelium.transport.tcp~topology");
        return c;
    }
}
