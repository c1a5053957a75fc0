/**
 * The JVM's one CPython interpreter, started and finalised on its own python-main thread.
 */
package io.mycelium.python.impl.interpreter;
