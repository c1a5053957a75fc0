package io.mycelium.python.impl.component;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The order the gate relies on when it shares the host's configuration PID (see {@link PythonHostComponent#NAME}). */
class PythonHostConfigurationGateTest {

    @Test
    void shouldHandConfigurationToHostBeforeGateWhenScrNotifiesTheSharedPid() {
        // Felix SCR 2.2 keeps a PID's component holders in a HashSet, hashed by component name, and notifies them in
        // its iteration order: the host must hold etc/'s configuration before the gate enables it.
        final Set<String> holders = new HashSet<>();
        holders.add(PythonHostConfigurationGate.NAME);
        holders.add(PythonHostComponent.NAME);
        assertEquals(List.of(PythonHostComponent.NAME, PythonHostConfigurationGate.NAME), List.copyOf(holders));
    }
}
