/**
 * The launcher of a Mycelium node: it starts Felix with the system bundles in a deliberate order and runs until a
 * signal or the shell stops it.
 */
package io.mycelium.container;
