/**
 * The Unix transport component: reads its configuration and runs the stream links over Unix.
 */
package io.mycelium.transport.unix.impl;
