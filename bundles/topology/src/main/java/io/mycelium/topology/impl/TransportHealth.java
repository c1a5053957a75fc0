package io.mycelium.topology.impl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.mycelium.topology.Endpoint;

import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Judges the transports this node's plan needs against what SCR reports: a kind no installed component takes the
 * factory configuration of (e.g. {@code endpoint.kind = "shm"} before a shm transport exists) and a transport whose
 * activation failed (e.g. its TCP port is taken) are problems; a transport whose configuration SCR has not yet
 * handed to its component is pending. A transport waiting for a reference (no schema deployed yet) is neither.
 * Stateless.
 */
final class TransportHealth {

    /** The outcome: definite problems, and transports still starting. */
    record Result(List<String> problems, List<String> pending) {
        Result {
            problems = List.copyOf(problems);
            pending = List.copyOf(pending);
        }
    }

    /**
     * What the plan needs of one transport kind.
     *
     * @param plan   the transport plan written to ConfigAdmin
     * @param origin where the topology asks for it, e.g. {@code topology.toml:7: node 'b' has endpoint.kind = "shm"}
     */
    record Need(TransportPlan plan, String origin) {
    }

    private static final Pattern EXCEPTION_TYPE = Pattern.compile("[\\w.$]+(Exception|Error)");
    private static final Pattern WRAPPER = Pattern.compile(
            ".*(InvocationTargetException|ComponentException|LogException)");

    private TransportHealth() {
    }

    /**
     * @param needs          the transports of the running plan
     * @param components     every component description SCR knows
     * @param configurations the configurations of one description
     * @return the problems and pending transports, in the order of {@code needs}
     */
    static Result judge(final Map<Endpoint.Kind, Need> needs, final Collection<ComponentDescriptionDTO> components,
                        final Function<ComponentDescriptionDTO, Collection<ComponentConfigurationDTO>> configurations) {
        final List<String> problems = new ArrayList<>();
        final List<String> pending = new ArrayList<>();
        for (Need need : needs.values()) {
            final TransportPlan plan = need.plan();
            final String kind = plan.kind().tomlName();
            final String pid = OsgiEffects.pid(plan.kind());
            final Optional<ComponentDescriptionDTO> provider = components.stream()
                    .filter(c -> c.configurationPid != null
                            && Arrays.asList(c.configurationPid).contains(plan.factoryPid()))
                    .findFirst();
            if (provider.isEmpty()) {
                problems.add(need.origin() + ", but no transport bundle provides endpoint.kind = \"" + kind
                        + "\" (no component takes configuration " + plan.factoryPid() + "), so this node has no "
                        + kind + " transport. Fix: use endpoint.kind = \"unix\" or \"tcp\" until a " + kind
                        + " transport bundle is installed");
                continue;
            }
            final Optional<ComponentConfigurationDTO> config = configurations.apply(provider.get()).stream()
                    .filter(c -> c.properties != null && pid.equals(c.properties.get(Constants.SERVICE_PID)))
                    .findFirst();
            final String name = kind + " transport (" + pid + plan.listen().map(l -> ", listen " + l).orElse("")
                    + ")";
            if (config.isEmpty()) {
                pending.add(name + ": configuration not yet delivered");
            } else if (config.get().state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                problems.add(name + " failed to start: " + reason(config.get().failure));
            } else if (config.get().state != ComponentConfigurationDTO.ACTIVE
                    && config.get().state != ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                pending.add(name + ": state " + config.get().state);
            }
        }
        return new Result(problems, pending);
    }

    /**
     * The first message of a failure that is not a wrapper's: SCR wraps what a constructor or activate method threw
     * (reflection's {@code InvocationTargetException}, {@code ComponentException}).
     *
     * @param failure SCR's failure text (an exception's string, possibly with its stack trace), or null
     * @return the message that says what went wrong, e.g. {@code cannot listen on TCP 127.0.0.1:9000: Address
     *         already in use; is another process using the port?}
     */
    static String reason(final String failure) {
        if (failure == null || failure.isBlank()) {
            return "unknown reason (see the log above)";
        }
        String fallback = null;
        for (String raw : failure.split("\\R")) {
            String line = raw.strip();
            if (line.startsWith("at ") || line.startsWith("...") || line.isEmpty()) {
                continue;
            }
            if (line.startsWith("Caused by: ")) {
                line = line.substring("Caused by: ".length());
            }
            if (fallback == null) {
                fallback = line;
            }
            while (true) {
                final int colon = line.indexOf(": ");
                final String type = colon < 0 ? line : line.substring(0, colon);
                final String message = colon < 0 ? "" : line.substring(colon + 2).strip();
                if (!EXCEPTION_TYPE.matcher(type).matches()) {
                    return line;
                }
                if (!WRAPPER.matcher(type).matches()) {
                    if (!message.isEmpty() && !"null".equals(message)) {
                        return message;
                    }
                    break;
                }
                if (message.isEmpty() || "null".equals(message)) {
                    break;
                }
                line = message;
            }
        }
        return fallback;
    }
}
