package io.mycelium.console.impl.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One reader (a model sampler, which keeps its previous sample for rates) per open page, so that every page's rates
 * are per second since its own previous refresh, however many pages poll. A page names its reader with the id the
 * server-rendered HTML gave it; the least recently used readers beyond {@link #MAX_READERS} are forgotten (a
 * forgotten page gets a new reader on its next refresh). Thread-safe.
 *
 * @param <R> the reader type
 */
final class PageReaders<R> {

    /** Open pages remembered; more than a handful of operators watching one node is not expected. */
    static final int MAX_READERS = 32;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");

    private final Supplier<R> factory;
    private final Map<String, R> readers = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, R> eldest) {
            return size() > MAX_READERS;
        }
    };

    /** @param factory makes a reader */
    PageReaders(final Supplier<R> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * @param id the page's reader id; {@code null} or malformed ids get a reader of their own that is not kept
     * @return the page's reader
     */
    synchronized R reader(final String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return factory.get();
        }
        return readers.computeIfAbsent(id, ignored -> factory.get());
    }

    /** @return how many readers are kept */
    synchronized int size() {
        return readers.size();
    }
}
