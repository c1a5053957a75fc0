package io.mycelium.console.impl.web;

/**
 * Reads the node's figures and lays them out as a {@link Page}; rates are computed from counters at this call.
 * Called concurrently by the Web Console's request threads.
 */
interface PageSource {

    /** @return the page as of now */
    Page read();
}
