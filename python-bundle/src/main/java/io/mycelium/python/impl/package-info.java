/**
 * The private implementation of the embedded CPython host: the JNI bridge's Java side, the interpreter thread,
 * per-service dispatchers, and the DS components that connect Python to the node's bus and deploy folder.
 */
package io.mycelium.python.impl;
