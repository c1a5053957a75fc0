/**
 * The mycelium:generate Maven goal.
 */
package io.mycelium.codegen.maven;
