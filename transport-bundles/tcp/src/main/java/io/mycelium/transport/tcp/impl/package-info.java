/**
 * The TCP transport component: reads its configuration and runs the stream links over TCP.
 */
package io.mycelium.transport.tcp.impl;
