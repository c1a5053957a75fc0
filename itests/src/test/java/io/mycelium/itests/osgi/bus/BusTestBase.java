package io.mycelium.itests.osgi.bus;

import static org.ops4j.pax.exam.CoreOptions.streamBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
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
        } catch (final IOException e) {
            throw new AssertionError("cannot create subscriber configuration " + name, e);
        }
        return awaitService(Function.class, "(name=" + name + ")");
    }

    protected static long[] seqs(final Function<String, Object> subscriber) {
        return (long[]) subscriber.apply("seqs");
    }

    @SuppressWarnings("unchecked")
    protected static long stat(final Function<String, Object> subscriber, final String key) {
        return ((Number) ((Map<String, Object>) subscriber.apply("stats")).get(key)).longValue();
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
