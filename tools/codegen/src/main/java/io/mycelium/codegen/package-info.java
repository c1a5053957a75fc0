/**
 * The code generator's entry points: the CLI, the library facade and the source writer.
 */
package io.mycelium.codegen;
