/**
 * C repr layout rules: field offsets, padding and topic derivation.
 */
package io.mycelium.codegen.layout;
