import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Bundle;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Smoke test of the python bundle inside Felix 7: installs the given bundles, registers a recording MessageBus
 * (a proxy of the api bundle's interface), and checks that a .py dropped into deploy/ runs and publishes.
 *
 * usage: run.sh next to this file, or
 *   java -cp org.apache.felix.framework.jar FelixSmoke.java <work dir> <bundle.jar>...
 */
public final class FelixSmoke {
    public static void main(final String[] args) throws Exception {
        final Path work = Path.of(args[0]);
        final Path deploy = Files.createDirectories(work.resolve("deploy"));
        final Map<String, String> props = new HashMap<>();
        props.put("org.osgi.framework.storage", work.resolve("felix-cache").toString());
        props.put("org.osgi.framework.storage.clean", "onFirstInit");
        props.put("felix.fileinstall.dir", deploy.toString());
        props.put("felix.fileinstall.poll", "200");
        props.put("felix.fileinstall.noInitialDelay", "true");
        final Framework fw = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(props);
        fw.init();
        final List<Bundle> bundles = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            bundles.add(fw.getBundleContext().installBundle(new File(args[i]).toURI().toString()));
        }
        fw.start();
        Bundle api = null;
        for (final Bundle b : bundles) {
            if ("io.mycelium.api".equals(b.getSymbolicName())) {
                api = b;
            }
        }
        final Class<?> busClass = api.loadClass("io.mycelium.api.MessageBus");
        final List<Long> published = new CopyOnWriteArrayList<>();
        final Object bus = Proxy.newProxyInstance(busClass.getClassLoader(), new Class<?>[] {busClass},
                (proxy, method, margs) -> {
                    if (method.getName().equals("publishRaw")) {
                        final ByteBuffer payload = (ByteBuffer) margs[1];
                        published.add(payload.order(ByteOrder.LITTLE_ENDIAN).getLong(payload.position()));
                        return null;
                    }
                    if (method.getName().equals("toString")) {
                        return "RecordingBus";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        fw.getBundleContext().registerService(busClass.getName(), bus, null);
        for (final Bundle b : bundles) {
            if (b.getHeaders().get("Fragment-Host") == null) {
                b.start();
            }
        }
        for (final Bundle b : bundles) {
            System.out.println("bundle " + b.getSymbolicName() + " state " + b.getState());
        }
        Files.writeString(deploy.resolve("hello.py.tmp"), """
                import _mycelium, struct, time
                print("hello from a deployed service")
                _mycelium.publish(1001, struct.pack("<q", 42))
                while True:
                    time.sleep(1)
                """);
        Files.move(deploy.resolve("hello.py.tmp"), deploy.resolve("hello.py"));
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (!published.contains(42L) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        System.out.println("published by the deployed service: " + published);
        Files.delete(deploy.resolve("hello.py"));
        Thread.sleep(1000);
        fw.stop();
        fw.waitForStop(30_000);
        System.out.println(published.contains(42L) ? "SMOKE OK" : "SMOKE FAILED");
        System.exit(published.contains(42L) ? 0 : 1);
    }
}
