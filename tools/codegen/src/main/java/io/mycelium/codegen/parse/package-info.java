/**
 * Line-aware reading and validation of contracts.yaml into the model.
 */
package io.mycelium.codegen.parse;
