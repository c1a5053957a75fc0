/**
 * Immutable description of a parsed contracts file: messages, fields, layout types and padding.
 */
package io.mycelium.codegen.model;
