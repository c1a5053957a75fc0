package com.example.user;

import java.nio.ByteBuffer;

import com.example.user.protocol.OrderPlaced;

/** User code compiled against the generated classes (proves the generated source root is on the build). */
public final class OrderService {

    private OrderService() {
    }

    /** @return the payload of an order */
    public static ByteBuffer encode(final long id, final String symbol, final double quantity) {
        final ByteBuffer buffer = ByteBuffer.allocate(OrderPlaced.SIZE);
        OrderPlaced.TYPE.encode(new OrderPlaced(id, symbol, quantity), buffer, 0);
        return buffer;
    }
}
