package io.mycelium.python.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.mycelium.testsupport.LoopbackBus;

/** CPython once per JVM: after close, calls and a second start fail with messages that say why. */
class PythonHostLifecycleTest {

    @Test
    void shouldRefuseCallsAndRestartWhenInterpreterWasFinalised() {
        final PythonRuntime runtime = PythonRuntime.start(PythonTestSupport.config(), new LoopbackBus(),
                List::of, PythonTestSupport.DISPATCHER, 1.0);
        final PythonHost host = runtime.host();
        assertEquals(3L, host.call("operator", "add", 1, 2));
        runtime.close();

        final IllegalStateException call = assertThrows(IllegalStateException.class,
                () -> host.call("operator", "add", 1, 2));
        assertTrue(call.getMessage().contains("finalised"), call.getMessage());

        final IllegalStateException restart = assertThrows(IllegalStateException.class,
                () -> PythonRuntime.start(PythonTestSupport.config(), new LoopbackBus(), List::of,
                        PythonTestSupport.DISPATCHER, 1.0));
        assertTrue(restart.getMessage().contains("restart the JVM"), restart.getMessage());
    }
}
