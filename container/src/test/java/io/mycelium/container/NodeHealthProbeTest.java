package io.mycelium.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

class NodeHealthProbeTest {

    @Test
    void shouldReportNothingWhenNoHealthServiceIsRegistered() throws Exception {
        assertEquals(new NodeHealthProbe.Health(Optional.empty(), List.of(), List.of()),
                NodeHealthProbe.await(context(null), 1_000));
    }

    @Test
    void shouldReturnTheFatalErrorAtOnce() throws Exception {
        final Map<String, Object> health = health(List.of(), List.of("tcp transport: state 4"));
        health.put("fatal", "topology.toml: node 'gamma' not found (known: a, b)");
        final long start = System.nanoTime();
        final NodeHealthProbe.Health result = NodeHealthProbe.await(context(() -> health), 10_000);
        assertEquals(Optional.of("topology.toml: node 'gamma' not found (known: a, b)"), result.fatal());
        assertEquals(true, System.nanoTime() - start < 5_000_000_000L, "no wait for pending transports");
    }

    @Test
    void shouldWaitForPendingTransportsAndReturnTheProblems() throws Exception {
        final List<Map<String, Object>> answers = new ArrayList<>(List.of(
                health(List.of(), List.of("tcp transport: configuration not yet delivered")),
                health(List.of("tcp transport failed to start: port taken"), List.of())));
        final NodeHealthProbe.Health result = NodeHealthProbe.await(context(() -> answers.size() > 1
                ? answers.remove(0) : answers.get(0)), 10_000);
        assertEquals(List.of("tcp transport failed to start: port taken"), result.problems());
        assertEquals(List.of(), result.pending());
    }

    @Test
    void shouldGiveUpWaitingAtTheBoundAndKeepThePending() throws Exception {
        final NodeHealthProbe.Health result = NodeHealthProbe.await(context(() -> health(List.of(),
                List.of("unix transport: state 2"))), 300);
        assertEquals(List.of("unix transport: state 2"), result.pending());
    }

    private static Map<String, Object> health(final List<String> problems, final List<String> pending) {
        final Map<String, Object> map = new HashMap<>();
        map.put("problems", problems);
        map.put("pending", pending);
        return map;
    }

    /** A context whose only service is the given supplier (none when null), found with the probe's filter. */
    private static BundleContext context(final Supplier<Map<String, Object>> supplier) {
        final ServiceReference<?> reference = (ServiceReference<?>) Proxy.newProxyInstance(
                NodeHealthProbeTest.class.getClassLoader(), new Class<?>[] {ServiceReference.class},
                (proxy, method, args) -> null);
        return (BundleContext) Proxy.newProxyInstance(NodeHealthProbeTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAllServiceReferences" -> {
                        assertEquals(NodeHealthProbe.FILTER, args[1]);
                        yield supplier == null ? null : new ServiceReference<?>[] {reference};
                    }
                    case "getService" -> supplier;
                    case "ungetService" -> true;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
