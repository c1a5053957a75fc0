package io.mycelium.python.impl.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mycelium.python.impl.PythonTestSupport;
import io.mycelium.testsupport.LoopbackBus;

import org.junit.jupiter.api.Test;

import io.mycelium.api.Delivery;
import io.mycelium.testsupport.LoopbackBus;

/** The class-path entry point finds mycelium_native by itself and reaches the bus. */
class StandalonePythonHostTest {

    @Test
    void shouldPublishThroughBusWhenStartedFromClassPath() {
        final LoopbackBus bus = new LoopbackBus();
        final List<Long> seen = new CopyOnWriteArrayList<>();
        bus.subscribeRaw(1001, (type, payload) ->
                seen.add(payload.order(ByteOrder.LITTLE_ENDIAN).getLong(payload.position())), Delivery.INLINE);
        final Path fixtures = PythonTestSupport.sysPath().get(1);
        try (StandalonePythonHost python = StandalonePythonHost.start(bus, List.of(fixtures),
                List.of(PythonTestSupport.FIXTURE_DIGEST))) {
            python.exec("""
                    from mycelium_native import Runtime
                    from mycelium_protocol import SCHEMA_DIGEST
                    from mycelium_protocol.messages import Ping
                    Runtime(schema_digest=SCHEMA_DIGEST).publish(Ping(77))
                    import mycelium_native
                    origin = mycelium_native.__file__
                    """, "<embedded>");
        }
        assertEquals(List.of(77L), seen);
    }
}
