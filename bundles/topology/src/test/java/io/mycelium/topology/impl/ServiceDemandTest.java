package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;

class ServiceDemandTest {

    @Test
    void shouldFindServiceWhenScrReferenceFilter() {
        assertEquals(Set.of("java-strategy"), ServiceDemand.servicesIn(null, 
                "(&(objectClass=io.mycelium.api.ServiceContext)(mycelium.service=java-strategy))"));
    }

    @Test
    void shouldFindEveryServiceWhenAlternatives() {
        assertEquals(Set.of("a", "b.c"), ServiceDemand.servicesIn(null, "(&(objectClass=io.mycelium.api.ServiceContext)"
                + "(|(mycelium.service=a)(mycelium.service=b.c)))"));
    }

    @Test
    void shouldFindServiceWhenClassNameGivenSeparately() {
        assertEquals(Set.of("x"), ServiceDemand.servicesIn("io.mycelium.api.ServiceContext", "(mycelium.service=x)"));
        assertEquals(Set.of(), ServiceDemand.servicesIn("x.Other", "(mycelium.service=x)"));
    }

    @Test
    void shouldFindTargetsWhenComponentDescriptionsReferenceContexts() {
        final ReferenceDTO context = new ReferenceDTO();
        context.interfaceName = "io.mycelium.api.ServiceContext";
        context.target = "(mycelium.service=java-strategy)";
        final ReferenceDTO other = new ReferenceDTO();
        other.interfaceName = "io.mycelium.api.MessageBus";
        other.target = "(mycelium.service=not-a-context)";
        final ReferenceDTO untargeted = new ReferenceDTO();
        untargeted.interfaceName = "io.mycelium.api.ServiceContext";
        final ComponentDescriptionDTO a = new ComponentDescriptionDTO();
        a.references = new ReferenceDTO[] {context, other, untargeted};
        final ComponentDescriptionDTO b = new ComponentDescriptionDTO();
        assertEquals(Set.of("java-strategy"), ServiceDemand.servicesIn(List.of(a, b)));
    }

    @Test
    void shouldFindNothingWhenOtherClassWildcardNegationOrNoFilter() {
        assertEquals(Set.of(), ServiceDemand.servicesIn(null, null));
        assertEquals(Set.of(), ServiceDemand.servicesIn(null, "(objectClass=io.mycelium.api.ServiceContext)"));
        assertEquals(Set.of(), ServiceDemand.servicesIn(null, "(&(objectClass=x.Other)(mycelium.service=a))"));
        assertEquals(Set.of(), ServiceDemand.servicesIn(null, 
                "(&(objectClass=io.mycelium.api.ServiceContext)(mycelium.service=py-*))"));
        assertEquals(Set.of(), ServiceDemand.servicesIn(null, 
                "(&(objectClass=io.mycelium.api.ServiceContext)(!(mycelium.service=a)))"));
        assertEquals(Set.of(), ServiceDemand.servicesIn(null, 
                "(&(objectClass=io.mycelium.api.ServiceContext)(mycelium.service=bad name))"));
    }
}
