package io.mycelium.itests.osgi.console;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.mycelium.api.Delivery;
import io.mycelium.api.MessageBus;
import io.mycelium.api.Subscription;
import io.mycelium.itests.osgi.MyceliumTestBase;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The console bundle's Gogo commands in Felix with the real bus, topology and transports, called through Gogo's
 * {@link CommandProcessor} as the shell calls them: each prints its table with the node's live counters. (No python
 * bundle here: CPython starts once per JVM and PythonBundleIT owns it, so {@code python} says there is no host.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MyceliumCommandsIT extends MyceliumTestBase {

    private static final int TYPE = 4242;

    @Override
    protected Option[] fixtures() {
        return new Option[] {extraBundle("org.apache.felix.gogo.runtime")};
    }

    @Test
    public void shouldPrintLiveTablesWhenCommandsRunInGogo() throws Exception {
        final MessageBus bus = awaitService(MessageBus.class, null);
        final CommandProcessor processor = awaitService(CommandProcessor.class, null);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        final CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print, print);
        try (Subscription subscription = bus.forService("commands-it").subscribeRaw(TYPE, (typeId, payload) -> { },
                Delivery.queued(16, Delivery.Overflow.DROP_NEWEST))) {
            for (int i = 0; i < 5; i++) {
                bus.publishRaw(TYPE, ByteBuffer.allocate(8));
            }
            awaitTrue("the subscription got the messages", () -> subscription.stats().delivered() == 5);

            final String types = run(session, "mycelium:types");
            assertTrue(types, types.contains("ID  TYPE"));
            assertTrue(types, types.matches("(?s).*\\n4242 +type 4242 +- +[0-9.]+ .* 5 +5 +0 +0 +0 +1\\n.*"));

            final String subs = run(session, "mycelium:subs");
            assertTrue(subs, subs.matches("(?s).*commands-it +type 4242 +raw +queued +drop_newest +16 +0 .*"));

            final String topology = run(session, "mycelium:topology");
            assertTrue(topology, topology.startsWith("topology embedded default, this node '"));
            assertTrue(topology, topology.contains("SERVICE") && topology.contains("TO NODE  ROUTE"));

            final String links = run(session, "mycelium:links");
            assertTrue(links, links.contains("PEER  TRANSPORT  DIRECTION"));

            final String overview = run(session, "mycelium:overview");
            assertTrue(overview, overview.startsWith("node "));

            final String python = run(session, "mycelium:python");
            assertTrue(python, python.startsWith("no Python host"));
            try {
                run(session, "mycelium:python restart nosuch");
                fail("restarting without CPython must fail");
            } catch (final IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("cannot restart 'nosuch'"));
            }
        } finally {
            session.close();
        }
    }

    private static String run(final CommandSession session, final String command) throws Exception {
        return String.valueOf(session.execute(command));
    }
}
