package io.mycelium.console.impl.gogo;

import java.time.ZoneId;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mycelium.console.impl.model.NodeSnapshots;
import io.mycelium.console.impl.model.PythonSource;

/**
 * The Gogo commands of scope {@code mycelium}: {@code overview}, {@code topology}, {@code links}, {@code types},
 * {@code subs}, {@code python} and {@code python restart NAME}. Each prints the console's read model as aligned
 * tables. Rates are per second since the previous {@code mycelium:} command of any session (the first one averages
 * over the node's uptime).
 *
 * <p>Thread-safe: the sampler serialises reads; Gogo may call from several sessions at once.
 */
@Component(service = MyceliumCommands.class, property = {
    "osgi.command.scope=mycelium",
    "osgi.command.function=overview",
    "osgi.command.function=topology",
    "osgi.command.function=links",
    "osgi.command.function=types",
    "osgi.command.function=subs",
    "osgi.command.function=python"})
public final class MyceliumCommands {

    private static final String RESTART = "restart";

    private final NodeSnapshots.Sampler sampler;
    private final CommandTables tables = new CommandTables(ZoneId.systemDefault());

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PythonSource python;

    /**
     * @param snapshots the node's read model
     */
    @Activate
    public MyceliumCommands(@Reference final NodeSnapshots snapshots) {
        this.sampler = snapshots.sampler();
    }

    /** @return the node, its schemas, aggregate rates and problems */
    public String overview() {
        return tables.overview(sampler.read());
    }

    /** @return the topology: nodes, where each service is placed, routes, last reload and error */
    public String topology() {
        return tables.topology(sampler.read());
    }

    /** @return every link: peer, transport, direction, protocol, state, RTT, frames and bytes, drops, errors */
    public String links() {
        return tables.links(sampler.read());
    }

    /** @return every type: rates and totals */
    public String types() {
        return tables.types(sampler.read());
    }

    /** @return every subscription: delivery, policy, queue and counters */
    public String subs() {
        return tables.subscriptions(sampler.read());
    }

    /** @return the interpreter and every Python service */
    public String python() {
        return tables.python(sampler.read());
    }

    /**
     * {@code python restart NAME}: starts a deployed Python service again from its file.
     *
     * @param action must be {@code restart}
     * @param name   the service name
     * @return what was done
     * @throws IllegalArgumentException if the action is unknown, or no service of that name runs here (Gogo prints
     *                                  the message)
     */
    public String python(final String action, final String name) {
        if (!RESTART.equals(action)) {
            throw new IllegalArgumentException("unknown action '" + action + "': use 'python' to list the Python"
                    + " services or 'python restart NAME' to restart one");
        }
        final PythonSource monitor = python;
        if (monitor == null) {
            throw new IllegalArgumentException("cannot restart '" + name + "': CPython does not run in this node");
        }
        if (!monitor.restart(name)) {
            throw new IllegalArgumentException("cannot restart '" + name + "': no Python service of that name runs"
                    + " on this node (held services start when the topology places them here; 'python' lists them)");
        }
        return "restarted Python service '" + name + "' from its file; 'python' shows its state";
    }
}
