/**
 * Wire-compatibility check between two contracts files.
 */
package io.mycelium.codegen.compat;
