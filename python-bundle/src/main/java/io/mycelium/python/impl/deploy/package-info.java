/**
 * The deploy/ folder's Python services: FileInstall's installer and the lifecycle that starts, reloads and stops
 * them.
 */
package io.mycelium.python.impl.deploy;
