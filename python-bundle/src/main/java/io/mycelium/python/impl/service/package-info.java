/**
 * The Java side of each running Python service: its subscriptions, callback table and errors, found by id for the
 * bus upcalls.
 */
package io.mycelium.python.impl.service;
