/**
 * Reads topology.toml, applies the routing rule and activates the transports and service contexts this node needs.
 */
package io.mycelium.topology;
