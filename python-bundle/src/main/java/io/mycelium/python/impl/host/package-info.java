/**
 * The assembled Python host (interpreter, bus upcalls, services), as the DS component runs it or standalone on a
 * plain class path.
 */
package io.mycelium.python.impl.host;
