package com.example.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.example.user.protocol.OrderPlaced;
import com.example.user.protocol.UserProtocolSchema;

class OrderServiceTest {

    @Test
    void shouldRoundTripGeneratedMessageAndShipPythonPackage() {
        assertEquals(new OrderPlaced(7L, "ACME", 2.5),
            OrderPlaced.TYPE.decode(OrderService.encode(7L, "ACME", 2.5), 0));
        assertEquals(40, OrderPlaced.SIZE);
        assertEquals("user-protocol", UserProtocolSchema.INSTANCE.id());
        assertTrue(Files.exists(Path.of("target/classes/python/mycelium_protocol/messages.py")));
        assertTrue(Files.exists(Path.of("target/classes/python/mycelium_protocol/py.typed")));
    }
}
