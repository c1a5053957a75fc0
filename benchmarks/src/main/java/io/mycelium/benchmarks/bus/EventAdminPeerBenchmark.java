package io.mycelium.benchmarks.bus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The peer: Felix EventAdmin 1.6.4 in an embedded Felix 7.0.5 on the same machine, one handler that counts events
 * and reads one property, a new {@link Event} per send (EventAdmin's events are immutable maps). {@code timeout}
 * is the default configuration or {@code org.apache.felix.eventadmin.Timeout=0} (no per-handler timeout watch).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EventAdminPeerBenchmark {

    private static final String TOPIC = "io/mycelium/bench/Tick";
    private static final int POST_BATCH = 1000;

    @Param({"default", "0"})
    String timeout;

    private Path storage;
    private Framework framework;
    private EventAdmin admin;
    private final AtomicLong handled = new AtomicLong();
    private long seq;

    @Setup(Level.Trial)
    public void setUp() throws IOException, BundleException {
        storage = Files.createTempDirectory("felix-eventadmin-bench");
        final Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.osgi.service.event;version=1.4.0");
        if (!"default".equals(timeout)) {
            config.put("org.apache.felix.eventadmin.Timeout", timeout);
        }
        framework = new FrameworkFactory().newFramework(config);
        framework.start();
        final BundleContext context = framework.getBundleContext();
        final Bundle eventAdmin;
        try (InputStream in = EventAdminPeerBenchmark.class.getResourceAsStream("/peers/eventadmin.jar")) {
            if (in == null) {
                throw new IllegalStateException("peers/eventadmin.jar missing from the benchmarks jar; rebuild with "
                    + "mvn -pl benchmarks -am package");
            }
            eventAdmin = context.installBundle("peer:eventadmin", in);
        }
        eventAdmin.start();
        final Hashtable<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, TOPIC);
        final EventHandler handler = event -> {
            if (event.getProperty("seq") != null) {
                handled.incrementAndGet();
            }
        };
        context.registerService(EventHandler.class, handler, props);
        final ServiceReference<EventAdmin> ref = context.getServiceReference(EventAdmin.class);
        if (ref == null) {
            throw new IllegalStateException("EventAdmin service not registered by " + eventAdmin.getSymbolicName());
        }
        admin = context.getService(ref);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws BundleException, InterruptedException, IOException {
        framework.stop();
        framework.waitForStop(10_000);
        try (Stream<Path> files = Files.walk(storage)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private Event next() {
        final Map<String, Object> props = new HashMap<>(2);
        props.put("seq", seq++);
        return new Event(TOPIC, props);
    }

    /** Synchronous delivery: returns after the handler ran. */
    @Benchmark
    public void sendEvent() {
        admin.sendEvent(next());
    }

    /** Asynchronous delivery, end to end: posts a batch and waits until the handler has seen all of it. */
    @Benchmark
    @OperationsPerInvocation(POST_BATCH)
    public void postEvent() {
        final long target = handled.get() + POST_BATCH;
        for (int i = 0; i < POST_BATCH; i++) {
            admin.postEvent(next());
        }
        while (handled.get() < target) {
            Thread.onSpinWait();
        }
    }
}
