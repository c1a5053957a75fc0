/**
 * Costs of the embedded CPython bridge: Java to Python callbacks and Python to Java publishes.
 */
package io.mycelium.benchmarks.python;
