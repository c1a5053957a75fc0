package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

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
