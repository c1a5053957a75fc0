package io.mycelium.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The place of one named service on this node. The topology registers one {@code ServiceContext} service, with
 * the service property {@value #SERVICE_NAME_PROPERTY}, for each service the topology puts on this node, so a
 * Java service is a DS component that references its context by name and activates only where it is placed:
 *
 * <pre>{@code
 * @Component
 * public final class Strategy {
 *     private final Subscription ticks;
 *
 *     @Activate
 *     public Strategy(@Reference(target = "(mycelium.service=java-strategy)") ServiceContext context) {
 *         MessageBus bus = context.bus();
 *         ticks = bus.subscribe(MarketTick.TYPE, tick -> bus.publish(signalFor(tick)), Delivery.queued());
 *     }
 *
 *     @Deactivate
 *     void stop() {
 *         ticks.close();
 *     }
 * }
 * }</pre>
 *
 * <p>An implementation returns {@code nodeBus.forService(serviceName())} from {@link #bus()}.
 */
@ProviderType
public interface ServiceContext {

    /** Service property naming the service, as in {@code topology.toml}. */
    String SERVICE_NAME_PROPERTY = "mycelium.service";

    /** @return the service name as written in the topology */
    String serviceName();

    /** @return the node this service is placed on */
    String nodeName();

    /** @return the node's bus as seen by this service ({@link MessageBus#forService(String)} of its name) */
    MessageBus bus();

    /** @return this service's counters on the node's bus */
    default ServiceStats stats() {
        return bus().stats().service(serviceName());
    }
}
