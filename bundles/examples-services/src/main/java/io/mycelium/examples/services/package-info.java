/**
 * Example Java services of the embedded default. Each is a DS component that references its
 * {@link io.mycelium.api.ServiceContext} by name, so it runs on the node the topology places it on (every node, in
 * the embedded default with no topology). Private: nothing here is exported.
 */
package io.mycelium.examples.services;
