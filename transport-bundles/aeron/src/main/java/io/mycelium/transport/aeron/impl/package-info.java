/**
 * Aeron links between Mycelium nodes: the media driver, the per-peer links and the component; private to this bundle.
 */
package io.mycelium.transport.aeron.impl;
