/**
 * Web Console plugin, Gogo commands and metrics endpoint of a Mycelium node.
 */
package io.mycelium.console;
