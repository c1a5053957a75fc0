package io.mycelium.itests.osgi.bus;

import static org.ops4j.pax.exam.CoreOptions.streamBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongConsumer;

import org.junit.After;
import org.ops4j.pax.exam.Option;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.mycelium.api.MessageBus;
import io.mycelium.itests.osgi.MyceliumTestBase;

/**
 * Base of the bus Pax Exam tests: the core bundles plus the protocol, publisher and "main" subscriber fixture
 * bundles; subscribers are created as factory configurations and removed after each test.
 */
public abstract class BusTestBase extends MyceliumTestBase {

    private final List<Configuration> configurations = new ArrayList<>();
    /** The configuration behind each subscriber this test created, for {@link #removeSubscriber(Function)}. */
    private final Map<Function<String, Object>, Configuration> subscriberConfigurations = new IdentityHashMap<>();

    @Override
    protected Option[] fixtures() {
        final List<Option> options = new ArrayList<>();
        options.add(systemProperty(FixtureJar.CLASSES_PROPERTY).value(FixtureJar.classesFolder().toString()));
        options.add(streamBundle(new ByteArrayInputStream(BusFixtures.protocol())));
        options.add(streamBundle(new ByteArrayInputStream(BusFixtures.publisher())));
        for (final String suffix : subscriberBundles()) {
            options.add(streamBundle(new ByteArrayInputStream(BusFixtures.subscriber(suffix, 1))));
        }
        return options.toArray(Option[]::new);
    }

    /** @return the suffixes of the subscriber bundles to install */
    protected List<String> subscriberBundles() {
        return List.of("main");
    }

    /** Deletes the subscriber configurations a test created, so their components close their subscriptions. */
    @After
    public void deleteConfigurations() throws IOException {
        for (final Configuration c : configurations) {
            c.delete();
        }
        configurations.clear();
        subscriberConfigurations.clear();
    }

    /**
     * Removes a subscriber before the test ends: deletes its configuration and waits until its component has closed
     * its subscription, so later publishes no longer reach it. A test that keeps publishing after it is done with a
     * small-queued subscriber must remove it: left subscribed, its queue can fill whenever its dispatcher thread is
     * not scheduled for a few publishes (a loaded machine), and a FAIL queue then throws to the publisher.
     *
     * @param subscriber a subscriber this test created with {@link #subscriber} or {@link #subscriberIn}
     * @throws IOException if the configuration cannot be deleted
     */
    protected void removeSubscriber(final Function<String, Object> subscriber) throws IOException {
        final Configuration c = subscriberConfigurations.remove(subscriber);
        if (c == null) {
            throw new IllegalArgumentException("not a subscriber this test created: " + subscriber);
        }
        final Object name = c.getProperties().get("name");
        configurations.remove(c);
        c.delete();
        awaitTrue("subscription of " + name + " closed after its configuration was deleted",
            () -> Boolean.TRUE.equals(stats(subscriber).get("closed")));
    }

    /** @return the one MessageBus service */
    protected MessageBus bus() {
        return awaitService(MessageBus.class, null);
    }

    /** @return the publisher fixture's service: accept(n) publishes n typed Pings */
    protected LongConsumer publisher() {
        return awaitService(LongConsumer.class, "(fixture=publisher)");
    }

    /**
     * Creates a subscriber component instance in the "main" subscriber bundle.
     *
     * @param name       its name (also the service name its subscription is attributed to)
     * @param properties delivery, capacity, overflow, failEvery, gated
     * @return its command service
     */
    protected Function<String, Object> subscriber(final String name, final String... properties) {
        return subscriberIn("main", name, properties);
    }

    /**
     * Creates a subscriber component instance in a subscriber bundle.
     *
     * @param bundleSuffix the bundle
     * @param name         its name
     * @param properties   key, value, key, value...
     * @return its command service
     */
    @SuppressWarnings("unchecked")
    protected Function<String, Object> subscriberIn(final String bundleSuffix, final String name,
                                                    final String... properties) {
        final ConfigurationAdmin admin = awaitService(ConfigurationAdmin.class, null);
        try {
            final Configuration c = admin.createFactoryConfiguration(BusFixtures.SUBSCRIBER_PID + bundleSuffix,
                "?");
            final Dictionary<String, Object> props = new Hashtable<>();
            props.put("name", name);
            for (int i = 0; i < properties.length; i += 2) {
                props.put(properties[i], properties[i + 1]);
            }
            c.update(props);
            configurations.add(c);
            final Function<String, Object> subscriber = awaitService(Function.class, "(name=" + name + ")");
            subscriberConfigurations.put(subscriber, c);
            return subscriber;
        } catch (final IOException e) {
            throw new AssertionError("cannot create subscriber configuration " + name, e);
        }
    }

    protected static long[] seqs(final Function<String, Object> subscriber) {
        return (long[]) subscriber.apply("seqs");
    }

    @SuppressWarnings("unchecked")
    protected static Map<String, Object> stats(final Function<String, Object> subscriber) {
        return (Map<String, Object>) subscriber.apply("stats");
    }

    protected static long stat(final Function<String, Object> subscriber, final String key) {
        return ((Number) stats(subscriber).get(key)).longValue();
    }

    /** Asserts that {@code seqs} are consecutive (no loss, no reordering, no duplicate). */
    protected static void assertConsecutive(final String who, final long[] seqs) {
        for (int i = 1; i < seqs.length; i++) {
            if (seqs[i] != seqs[i - 1] + 1) {
                throw new AssertionError(who + ": message " + i + " is seq " + seqs[i] + " after " + seqs[i - 1]);
            }
        }
    }
}
