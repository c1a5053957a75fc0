package io.mycelium.itests.osgi.bus;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongConsumer;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import io.mycelium.api.SubscriptionStats;

/**
 * Replacing a subscriber bundle while a publisher publishes closes its subscriptions and opens the new ones, and
 * the other subscribers lose nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BusHotDeployIT extends BusTestBase {

    @Override
    protected List<String> subscriberBundles() {
        return List.of("a", "b");
    }

    @Test
    public void shouldSwapSubscriptionsWithoutLossForOthersWhenSubscriberBundleReplaced() throws Exception {
        final Function<String, Object> a = subscriberIn("a", "sub-a");
        final Function<String, Object> bQueued = subscriberIn("b", "sub-b-queued", "delivery", "QUEUED",
            "overflow", "BLOCK", "capacity", "1024");
        final Function<String, Object> bInline = subscriberIn("b", "sub-b-inline");
        final long oldSubscription = stat(a, "id");
        final LongConsumer publisher = publisher();
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong published = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread publishing = new Thread(() -> {
            try {
                while (running.get()) {
                    publisher.accept(50);
                    published.addAndGet(50);
                }
            } catch (final Throwable t) {
                failure.set(t);
            }
        }, "itest-publisher");
        publishing.start();
        awaitTrue("traffic flows", () -> seqs(bQueued).length > 2_000 && seqs(a).length > 2_000);

        final Bundle bundleA = installedBundle("io.mycelium.itests.fixture.subscriber.a");
        bundleA.update(new ByteArrayInputStream(BusFixtures.subscriber("a", 2)));
        awaitTrue("generation 2 of sub-a active", () -> "2".equals(
            awaitService(Function.class, "(name=sub-a)").apply("generation")));
        @SuppressWarnings("unchecked")
        final Function<String, Object> a2 = awaitService(Function.class, "(name=sub-a)");
        awaitTrue("new sub-a receives", () -> seqs(a2).length > 2_000);
        running.set(false);
        publishing.join(TIMEOUT_MS);
        assertFalse(publishing.isAlive());
        assertEquals(null, failure.get());

        final long total = published.get();
        awaitTrue("sub-b-queued got all " + total, () -> seqs(bQueued).length == total);
        assertEquals(total, seqs(bInline).length);
        assertConsecutive("sub-b-queued", seqs(bQueued));
        assertConsecutive("sub-b-inline", seqs(bInline));
        assertConsecutive("sub-a generation 2", seqs(a2));
        assertEquals(0, stat(bQueued, "dropped"));
        final long newSubscription = stat(a2, "id");
        assertTrue(newSubscription > oldSubscription);
        final List<SubscriptionStats> open = bus().stats().service("sub-a").subscriptions();
        assertEquals(1, open.size());
        assertEquals(newSubscription, open.get(0).id());
    }

    @Test
    public void shouldCloseSubscriptionsLeftOpenWhenBundleStops() throws Exception {
        final Bundle leaky = context.installBundle("fixture:leaky",
            new ByteArrayInputStream(BusFixtures.subscriber("leaky", 1)));
        leaky.start();
        final Function<String, Object> s = subscriberIn("leaky", "sub-leaky", "leaky", "true", "delivery", "QUEUED");
        publisher().accept(10);
        awaitTrue("leaky subscriber receives", () -> seqs(s).length == 10);
        assertEquals(1, bus().stats().service("sub-leaky").subscriptions().size());
        leaky.stop();
        awaitTrue("the bus closed what the stopped bundle left open",
            () -> bus().stats().service("sub-leaky").subscriptions().isEmpty());
        assertTrue((Boolean) ((java.util.Map<?, ?>) s.apply("stats")).get("closed"));
        leaky.uninstall();
    }
}
