/**
 * The Java side of the JNI bridge: the loader of libmycelium_python.so, its native methods and the upcall
 * interface its C code calls.
 */
package io.mycelium.python.impl.jni;
