/**
 * The Gogo commands of scope {@code mycelium} ({@code topology}, {@code links}, {@code types}, {@code subs},
 * {@code python}, {@code python restart NAME}, {@code overview}): the console's read model as aligned text tables.
 */
package io.mycelium.console.impl.gogo;
