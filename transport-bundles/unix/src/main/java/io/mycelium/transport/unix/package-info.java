/**
 * Links between nodes on one host over Unix domain sockets.
 */
package io.mycelium.transport.unix;
