package io.mycelium.console.impl.web;

import java.util.List;

/**
 * Writes a {@link Page} as the HTML content of the plugin (the Web Console wraps it in its header and menu). Every
 * table is complete without script; the script served beside it ({@code res/mycelium/mycelium.js}) turns the
 * sections into tabs, refreshes the tables from {@code data.json} and sorts them. Stateless.
 */
final class HtmlPageWriter {

    private HtmlPageWriter() {
    }

    /**
     * @param page       the page
     * @param pluginRoot the plugin's path, e.g. {@code /system/console/mycelium}
     * @param reader     the id the page's script names its reader with ({@code data.json?reader=…})
     * @return the HTML fragment
     */
    static String write(final Page page, final String pluginRoot, final String reader) {
        final StringBuilder out = new StringBuilder(8192);
        final String root = Escape.html(pluginRoot);
        out.append("<div id=\"mycelium\" data-json=\"").append(root).append("/data.json?reader=")
                .append(Escape.html(reader)).append("\">\n");
        out.append("<p class=\"mycelium-status\">Node <b id=\"mycelium-node\">").append(Escape.html(page.node()))
                .append("</b>, figures of <span id=\"mycelium-taken\">").append(Escape.html(page.taken()))
                .append("</span> <span id=\"mycelium-live\">(static: reload the page to refresh)</span></p>\n");
        out.append("<ul class=\"mycelium-tabs\">");
        for (final Section section : page.sections()) {
            out.append("<li><a href=\"#mycelium-").append(section.id()).append("\" data-tab=\"")
                    .append(section.id()).append("\">").append(Escape.html(section.title())).append("</a></li>");
        }
        out.append("</ul>\n");
        for (final Section section : page.sections()) {
            out.append("<section class=\"mycelium-section\" id=\"mycelium-").append(section.id()).append("\">\n<h2>")
                    .append(Escape.html(section.title())).append("</h2>\n");
            for (final Table table : section.tables()) {
                table(table, out);
            }
            out.append("</section>\n");
        }
        out.append("</div>\n<script src=\"").append(root).append("/res/mycelium/mycelium.js\"></script>\n");
        return out.toString();
    }

    private static void table(final Table table, final StringBuilder out) {
        out.append("<table class=\"nicetable mycelium-table\" id=\"").append(table.id()).append("\">\n<caption>")
                .append(Escape.html(table.caption())).append("</caption>\n<thead><tr>");
        for (final Column column : table.columns()) {
            out.append("<th data-col=\"").append(column.key()).append("\" data-kind=\"")
                    .append(column.kind().wireName()).append("\">").append(Escape.html(column.header()))
                    .append("</th>");
        }
        out.append("</tr></thead>\n<tbody>");
        if (table.rows().isEmpty()) {
            out.append("<tr class=\"mycelium-empty\"><td colspan=\"").append(table.columns().size()).append("\">")
                    .append(Escape.html(table.empty())).append("</td></tr>");
        }
        for (final List<String> row : table.rows()) {
            out.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                final Column column = table.columns().get(i);
                out.append("<td data-col=\"").append(column.key()).append("\" class=\"mycelium-")
                        .append(column.kind().wireName()).append("\">");
                if (column.kind() == Column.Kind.PRE) {
                    out.append("<pre>").append(Escape.html(row.get(i))).append("</pre>");
                } else {
                    out.append(Escape.html(row.get(i)));
                }
                out.append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody></table>\n");
    }
}
