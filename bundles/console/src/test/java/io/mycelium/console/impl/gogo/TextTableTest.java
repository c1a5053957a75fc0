package io.mycelium.console.impl.gogo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void shouldAlignNumbersRightAndTextLeftWhenPrinted() {
        final String table = new TextTable("NAME", "COUNT", "NOTE").row("a", 5, "x").row("longer", 12345, "")
                .toString();

        assertEquals("""
                NAME    COUNT  NOTE
                a           5  x
                longer  12345
                """, table);
    }

    @Test
    void shouldSayNoneWhenTableIsEmpty() {
        assertEquals("ID  TYPE\n(none)\n", new TextTable("ID", "TYPE").toString());
    }

    @Test
    void shouldKeepRowOnOneLineWhenCellHasNewline() {
        assertEquals("A\nx y\n", new TextTable("A").row("x\ny").toString());
    }

    @Test
    void shouldRefuseRowWhenCellCountDiffers() {
        assertThrows(IllegalArgumentException.class, () -> new TextTable("A", "B").row("only one"));
    }
}
