package io.mycelium.bus.impl;

import java.nio.ByteBuffer;

import io.mycelium.api.BusStats;
import io.mycelium.api.Delivery;
import io.mycelium.api.Message;
import io.mycelium.api.MessageBus;
import io.mycelium.api.MessageHandler;
import io.mycelium.api.MessageType;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Subscription;

/**
 * The bus as seen by one service ({@link MessageBus#forService(String)}): the same topics, with publishes counted
 * and subscriptions attributed to the service. Safe for any number of threads.
 */
final class ServiceView implements MessageBus {

    private final MessageBusImpl bus;
    private final ServiceRecord service;

    ServiceView(final MessageBusImpl bus, final ServiceRecord service) {
        this.bus = bus;
        this.service = service;
    }

    @Override
    public void publish(final Message message) {
        service.countPublish();
        bus.publish(message);
    }

    @Override
    public <T> void publish(final MessageType<T> type, final T message) {
        service.countPublish();
        bus.publish(type, message);
    }

    @Override
    public void publishRaw(final int typeId, final ByteBuffer payload) {
        service.countPublish();
        bus.publishRaw(typeId, payload);
    }

    @Override
    public <T> Subscription subscribe(final MessageType<T> type, final MessageHandler<? super T> handler,
                                      final Delivery delivery) {
        return bus.subscribe(service, type, handler, delivery);
    }

    @Override
    public Subscription subscribeRaw(final int typeId, final RawMessageHandler handler, final Delivery delivery) {
        return bus.subscribeRaw(service, typeId, handler, delivery);
    }

    @Override
    public MessageBus forService(final String serviceName) {
        return bus.forService(serviceName);
    }

    @Override
    public String serviceName() {
        return service.serviceName();
    }

    @Override
    public BusStats stats() {
        return bus.stats();
    }

    @Override
    public String toString() {
        return "MessageBus view of service '" + service.serviceName() + "'";
    }
}
