/**
 * Emission of the Java message classes, schema class and DS component.
 */
package io.mycelium.codegen.java;
