/**
 * Links between nodes on different hosts over TCP.
 */
package io.mycelium.transport.tcp;
