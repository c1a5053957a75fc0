package io.mycelium.console.impl.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.util.List;

import org.junit.jupiter.api.Test;

class PageWritersTest {

    private static final String HOSTILE = "<script>alert('x')</script>&\"${head.cssLinks}\u2028\u0001";

    private static Page page(final String cell) {
        final Table types = new Table("types", "Types",
                List.of(Column.text("type", "Type"), Column.number("published_rate", "published/s"),
                        Column.pre("traceback", "Last traceback")),
                List.of(List.of(cell, "12.5", cell + "\n  line 2")), "no types");
        final Table empty = new Table("links", "Links", List.of(Column.text("peer", "Peer")), List.of(), "no links");
        return new Page("node-<1>", "2026-12-05T01:00:00Z",
                List.of(new Section("types", "Types", List.of(types)), new Section("links", "Links", List.of(empty))));
    }

    @Test
    void shouldEscapeEveryUserTextWhenWritingHtml() {
        final String html = HtmlPageWriter.write(page(HOSTILE), "/system/console/mycelium", "r1");

        assertFalse(html.contains("<script>alert"), html);
        assertFalse(html.contains("${"), "the Web Console would substitute ${…}: " + html);
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;&#36;{head.cssLinks}"),
                html);
        assertTrue(html.contains("node-&lt;1&gt;"), html);
    }

    @Test
    void shouldRenderCellsWithColumnKeysWhenWritingHtml() {
        final String html = HtmlPageWriter.write(page("orders"), "/system/console/mycelium", "r1");

        assertTrue(html.contains("<td data-col=\"published_rate\" class=\"mycelium-number\">12.5</td>"), html);
        assertTrue(html.contains("<pre>orders\n  line 2</pre>"), html);
        assertTrue(html.contains("<table class=\"nicetable mycelium-table\" id=\"types\">"), html);
        assertTrue(html.contains("src=\"/system/console/mycelium/res/mycelium/mycelium.js\""), html);
        assertTrue(html.contains("data-json=\"/system/console/mycelium/data.json?reader=r1\""), html);
    }

    @Test
    void shouldShowEmptyTextWhenTableHasNoRows() {
        final String html = HtmlPageWriter.write(page("orders"), "/c/mycelium", "r1");

        assertTrue(html.contains("<tr class=\"mycelium-empty\"><td colspan=\"1\">no links</td></tr>"), html);
    }

    @Test
    void shouldWriteParsableJsonWhenCellsHoldMarkupAndControlCharacters() {
        final String json = JsonPageWriter.write(page(HOSTILE));

        assertFalse(json.contains("<"), json);
        final JsonObject parsed = JsonParser.parseString(json).getAsJsonObject();
        assertEquals("node-<1>", parsed.get("node").getAsString());
        final JsonObject types = parsed.getAsJsonArray("sections").get(0).getAsJsonObject().getAsJsonArray("tables")
                .get(0).getAsJsonObject();
        assertEquals(HOSTILE, types.getAsJsonArray("rows").get(0).getAsJsonArray().get(0).getAsString());
        assertEquals("number", types.getAsJsonArray("columns").get(1).getAsJsonObject().get("kind").getAsString());
        assertEquals("no types", types.get("empty").getAsString());
    }

    @Test
    void shouldRejectRowWhenItsWidthDiffersFromColumns() {
        assertThrows(IllegalArgumentException.class, () -> new Table("t", "T", List.of(Column.text("a", "A")),
                List.of(List.of("1", "2")), "none"));
    }
}
