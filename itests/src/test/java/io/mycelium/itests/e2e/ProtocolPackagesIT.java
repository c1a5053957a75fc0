package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * Two protocol bundles on one node, the examples' and a user's (built by the Maven plugin's integration test): each
 * protocol's generated Python package is importable by a name of its own, a Python service of each works side by
 * side, {@code mycelium_protocol} says why it is ambiguous, and undeploying the user's protocol purges its modules,
 * restarts its services and gives {@code mycelium_protocol} back to the examples. Issue 12 item 9.
 */
class ProtocolPackagesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String ORDERS = """
            import time
            from mycelium_native import Runtime
            from mycelium_protocol_user_protocol import SCHEMA_DIGEST
            from mycelium_protocol_user_protocol.messages import OrderPlaced

            runtime = Runtime(schema_digest=SCHEMA_DIGEST)
            runtime.subscribe(OrderPlaced, lambda order: print("ORDERS received", order.symbol, flush=True))
            runtime.publish(OrderPlaced(order_id=7, symbol="ACME", quantity=1.5))
            print("ORDERS running with", OrderPlaced.__module__, flush=True)
            while True:
                time.sleep(0.2)
            """;
    private static final String SEED_STYLE = """
            from mycelium_protocol.messages import TradeSignal
            print("SEED_STYLE imports", TradeSignal.__module__, flush=True)
            """;

    @Test
    void shouldRunServicesOfTwoProtocolsAndRestartTheUsersWhenItsProtocolIsUndeployed() throws Exception {
        final Path userProtocol = Path.of(System.getProperty("user.protocol.bundle",
                "../tools/maven-plugin/target/it/protocol-bundle/target/user-protocol-0.1.0-SNAPSHOT.jar"));
        assertTrue(Files.exists(userProtocol), "the Maven plugin's integration test builds "
                + userProtocol.toAbsolutePath());
        try (DistributionNode node = DistributionNode.builder().start().awaitReady()) {
            ExampleServices.deployJava(node);
            node.deploy(userProtocol, "user-protocol.jar");
            node.awaitOutput("as 'mycelium_protocol_user_protocol'", TIMEOUT);

            node.deploy(ExampleServices.shipped("market_consumer.py"), "market_consumer.py");
            node.deployText("orders.py", ORDERS);
            node.awaitOutput("ORDERS running with mycelium_protocol_user_protocol.messages", TIMEOUT);
            node.awaitOutput("ORDERS received ACME", TIMEOUT);
            node.awaitOutput("java-signal-monitor: received TradeSignal #1", TIMEOUT);

            node.deployText("seed_style.py", SEED_STYLE);
            node.awaitOutput("mycelium_protocol is ambiguous: 2 protocols are deployed on this node", TIMEOUT);
            node.undeploy("seed_style.py");

            node.undeploy("user-protocol.jar");
            node.awaitOutput("Python service 'orders' restarts: the protocol package it imported was removed",
                    TIMEOUT);
            // the restarted service waits for the removed package (named, INFO), and starts when a protocol returns
            final String waits = node.awaitOutput("waits for protocol package 'mycelium_protocol_user_protocol'",
                    TIMEOUT);
            assertTrue(waits.contains(" INFO ") && waits.contains("Python service 'orders'"), waits);
            node.awaitOutput("mycelium_protocol names 'mycelium_protocol_examples'", TIMEOUT);
            assertTrue(!node.output().contains("Python service 'market_consumer' restarts"),
                    "market_consumer uses the examples' protocol only:\n" + node.output());

            node.deployText("seed_style.py", SEED_STYLE);
            node.awaitOutput("SEED_STYLE imports mycelium_protocol_examples.messages", TIMEOUT);
        }
    }
}
