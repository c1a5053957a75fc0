package io.mycelium.console.impl.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class PageReadersTest {

    private final AtomicInteger made = new AtomicInteger();
    private final PageReaders<Integer> readers = new PageReaders<>(made::incrementAndGet);

    @Test
    void shouldReturnSameReaderWhenPageRefreshesAgain() {
        assertSame(readers.reader("abc"), readers.reader("abc"));
        assertEquals(1, made.get());
    }

    @Test
    void shouldForgetLeastRecentlyUsedWhenMorePagesThanLimit() {
        final Integer first = readers.reader("first");
        for (int i = 0; i < PageReaders.MAX_READERS; i++) {
            readers.reader("page" + i);
        }
        assertEquals(PageReaders.MAX_READERS, readers.size());
        assertNotSame(first, readers.reader("first"));
    }

    @Test
    void shouldNotKeepReaderWhenIdIsMalformed() {
        readers.reader("../etc");
        readers.reader(null);
        readers.reader("x".repeat(33));
        assertEquals(0, readers.size());
        assertEquals(3, made.get());
    }
}
