package io.mycelium.console.impl.metrics;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of {@code /metrics}, PID {@value MetricsEndpoint#PID} (file {@code etc/io.mycelium.console.metrics.cfg}).
 * The host and port are the node's HTTP service's, shared with the Web Console ({@code mycelium.console.host},
 * {@code mycelium.console.port} in {@code etc/config.properties}, {@code --console-port}).
 */
@ObjectClassDefinition(name = "Mycelium metrics", description = "Prometheus metrics of the node on its HTTP service")
@interface MetricsConfig {

    /** @return whether the endpoint is served */
    @AttributeDefinition(description = "Serve the metrics endpoint")
    boolean enabled() default true;

    /** @return the path, starting with '/' */
    @AttributeDefinition(description = "Path of the endpoint on the node's HTTP service (host and port of the Web"
            + " Console)")
    String path() default "/metrics";

    /** @return who may read: loopback, console or none */
    @AttributeDefinition(description = "Who may read: 'loopback' (clients on this machine freely, others with the"
            + " Web Console login), 'console' (everyone with the Web Console login), 'none' (no login asked)")
    String auth() default "loopback";
}
