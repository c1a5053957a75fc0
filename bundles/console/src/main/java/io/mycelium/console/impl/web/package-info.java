/**
 * The Web Console plugin "Mycelium": the node's read model rendered as server-side HTML tables, as JSON for the
 * page's refresh script, and the script and style sheet it serves from this bundle.
 */
package io.mycelium.console.impl.web;
