/**
 * Web Console login throttling: failed logins are logged and slowed down per client address.
 */
package io.mycelium.console.impl.security;
