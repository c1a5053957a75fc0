package io.mycelium.python.impl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A service that imports a protocol's package before the protocol is deployed is retried, not reported as broken. */
class MissingProtocolPackageTest {

    @Test
    void shouldNameThePackageWhenAServiceImportsAProtocolNotDeployedYet() {
        assertEquals("mycelium_protocol", PythonService.missingProtocolPackage("ModuleNotFoundError",
                "No module named 'mycelium_protocol'"));
        assertEquals("mycelium_protocol_examples", PythonService.missingProtocolPackage("ModuleNotFoundError",
                "No module named 'mycelium_protocol_examples'"));
        assertEquals("mycelium_protocol_user_protocol", PythonService.missingProtocolPackage("ModuleNotFoundError",
                "No module named 'mycelium_protocol_user_protocol.messages'"));
    }

    @Test
    void shouldReturnNullWhenTheFailureIsAnythingElse() {
        assertNull(PythonService.missingProtocolPackage("ModuleNotFoundError", "No module named 'numpy'"));
        assertNull(PythonService.missingProtocolPackage("ImportError",
                "cannot import name 'SensorReading' from 'mycelium_protocol.messages'"));
        assertNull(PythonService.missingProtocolPackage("ValueError", "'mycelium_protocol_examples'"));
    }
}
