/**
 * The code generator's entry points: the CLI, the library facade, the source writer and its shared text rules.
 */
package io.mycelium.codegen;
