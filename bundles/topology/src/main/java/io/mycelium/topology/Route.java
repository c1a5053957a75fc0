package io.mycelium.topology;

/**
 * How a message travels from one node to another, decided by the routing rule: same node → in-process; same host
 * → Unix socket, or shared memory when the target declares {@code endpoint.kind = "shm"}; otherwise TCP. Aeron
 * whenever either node declares {@code endpoint.kind = "aeron"}.
 */
public enum Route {
    /** Both services are on the same node: the one bus object, no bytes. */
    IN_PROCESS,
    /** Different nodes on one host, the target listens on a Unix socket. */
    UNIX,
    /** Different nodes on one host, the target declares a shared-memory endpoint. */
    SHM,
    /** Nodes on different hosts. */
    TCP,
    /** Either node declares an Aeron endpoint: Aeron over UDP, whatever the hosts. */
    AERON
}
