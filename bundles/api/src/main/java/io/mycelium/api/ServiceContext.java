package io.mycelium.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The place of one named service on this node. The topology registers one {@code ServiceContext} service, with
 * the service property {@value #SERVICE_NAME_PROPERTY}, for each service the topology puts on this node, so a
 * Java service is a DS component that references its context by name and activates only where it is placed:
 *
 * <pre>{@code @Reference(target = "(mycelium.service=java-strategy)") ServiceContext context}</pre>
 */
@ProviderType
public interface ServiceContext {

    /** Service property naming the service, as in {@code topology.toml}. */
    String SERVICE_NAME_PROPERTY = "mycelium.service";

    /** @return the service name as written in the topology */
    String serviceName();

    /** @return the node this service is placed on */
    String nodeName();

    /** @return the node's bus */
    MessageBus bus();
}
