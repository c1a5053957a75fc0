/**
 * Emission of the stdlib-only mycelium_protocol Python package.
 */
package io.mycelium.codegen.python;
