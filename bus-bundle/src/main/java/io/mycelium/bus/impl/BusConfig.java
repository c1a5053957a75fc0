package io.mycelium.bus.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The ConfigAdmin configuration of the bus (PID {@code io.mycelium.bus}, file {@code etc/io.mycelium.bus.cfg}).
 */
@ObjectClassDefinition(name = "Mycelium bus", description = "The node's one message bus: queue and dispatcher settings.")
public @interface BusConfig {

    /** @return queue capacity of queued subscriptions that ask for the bus default */
    @AttributeDefinition(description = "Queue capacity (rounded up to a power of two) of a queued subscription "
        + "that does not set one.", min = "2", max = "16777216")
    int defaultCapacity() default 8192;

    /** @return how long an idle dispatcher spins before it parks */
    @AttributeDefinition(description = "Microseconds a dispatcher busy-spins on an empty queue before it parks. "
        + "Higher keeps hand-off latency low for bursty traffic at the cost of CPU; 0 parks at once.",
        min = "0", max = "1000000")
    int dispatcherSpinMicros() default 20;

    /** @return how long closing a queued subscription waits for its dispatcher */
    @AttributeDefinition(description = "Milliseconds close() waits for a queued subscription's dispatcher to "
        + "finish the handler call in progress before it interrupts the thread.", min = "0")
    long closeTimeoutMillis() default 5000;

    /** @return the minimum interval between two logged errors of one subscription */
    @AttributeDefinition(description = "At most one handler error with stack trace is logged per subscription "
        + "per interval (milliseconds); the others are counted and summarised in the next log line.", min = "0")
    long errorLogIntervalMillis() default 10000;
}
