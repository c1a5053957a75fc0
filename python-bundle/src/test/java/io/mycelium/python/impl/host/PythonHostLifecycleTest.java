package io.mycelium.python.impl.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.mycelium.python.impl.PythonTestSupport;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.python.impl.interpreter.PythonInterpreter;

import org.junit.jupiter.api.Test;

/** CPython once per JVM: after close, calls and a second start fail with messages that say why. */
class PythonHostLifecycleTest {

    @Test
    void shouldRefuseCallsAndRestartWhenInterpreterWasFinalised() {
        final PythonHost runtime = PythonHost.start(PythonTestSupport.config(), new LoopbackBus(),
                List::of, PythonTestSupport.DISPATCHER, 1.0);
        final PythonInterpreter host = runtime.interpreter();
        assertEquals(3L, host.call("operator", "add", 1, 2));
        runtime.close();

        final IllegalStateException call = assertThrows(IllegalStateException.class,
                () -> host.call("operator", "add", 1, 2));
        assertTrue(call.getMessage().contains("finalised"), call.getMessage());

        final IllegalStateException restart = assertThrows(IllegalStateException.class,
                () -> PythonHost.start(PythonTestSupport.config(), new LoopbackBus(), List::of,
                        PythonTestSupport.DISPATCHER, 1.0));
        assertTrue(restart.getMessage().contains("restart the JVM"), restart.getMessage());
    }
}
