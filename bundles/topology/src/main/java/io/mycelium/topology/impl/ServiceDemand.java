package io.mycelium.topology.impl;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mycelium.api.ServiceContext;

import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;

/**
 * Finds the service names a service lookup asks a {@link ServiceContext} for, e.g. SCR's
 * {@code (&(objectClass=io.mycelium.api.ServiceContext)(mycelium.service=java-strategy))} asks for
 * {@code java-strategy}; likewise a component description's reference target. Used by the embedded default, which
 * grants every context a component waits for. Stateless.
 */
final class ServiceDemand {

    private static final String OBJECT_CLASS = "(objectClass=" + ServiceContext.class.getName() + ")";
    private static final Pattern SERVICE = Pattern.compile("\\(" + Pattern.quote(ServiceContext.SERVICE_NAME_PROPERTY)
            + "=([^()*\\\\]+)\\)");

    private ServiceDemand() {
    }

    /**
     * @param components the component descriptions SCR knows (from {@code ServiceComponentRuntime})
     * @return the service names their {@code ServiceContext} references target by equality
     */
    static Set<String> servicesIn(final Collection<ComponentDescriptionDTO> components) {
        final Set<String> names = new TreeSet<>();
        for (ComponentDescriptionDTO component : components) {
            if (component.references == null) {
                continue;
            }
            for (ReferenceDTO reference : component.references) {
                names.addAll(servicesIn(reference.interfaceName, reference.target));
            }
        }
        return names;
    }

    /**
     * @param className the class name of the lookup, possibly null
     * @param filter    the lookup's filter, possibly null
     * @return the service names it requires by equality (no wildcards); empty when neither names the
     *         {@code ServiceContext} class or the filter names no service
     */
    static Set<String> servicesIn(final String className, final String filter) {
        final Set<String> names = new TreeSet<>();
        // Every lookup in the framework passes here (find hook): leave early on the common case.
        if (filter == null || !filter.contains(ServiceContext.SERVICE_NAME_PROPERTY)
                || !ServiceContext.class.getName().equals(className)
                && !filter.replace(" ", "").contains(OBJECT_CLASS)) {
            return names;
        }
        final Matcher m = SERVICE.matcher(filter);
        while (m.find()) {
            final String name = m.group(1).trim();
            // A negated term such as (!(mycelium.service=x)) is not a request for x.
            if (TopologyParser.isValidName(name) && !filter.substring(0, m.start()).endsWith("(!")) {
                names.add(name);
            }
        }
        return names;
    }
}
