package io.mycelium.codegen.layout;

import java.util.ArrayList;
import java.util.List;

import io.mycelium.codegen.model.FieldDef;
import io.mycelium.codegen.model.MessageDef;
import io.mycelium.codegen.model.Padding;

/**
 * Places fields by C {@code repr(C)} rules: declaration order, each field at a multiple of its alignment, struct
 * size rounded up to the largest alignment; records every padding gap so encoders can zero it. Stateless.
 */
public final class LayoutPlanner {

    private LayoutPlanner() {
    }

    /**
     * Computes offsets, padding and size for a message.
     *
     * @param name        the message name
     * @param typeId      the type id
     * @param domain      the domain
     * @param topic       the topic
     * @param description the documentation
     * @param line        the 1-based source line
     * @param fields      fields in declaration order (offsets ignored)
     * @return the placed message
     */
    public static MessageDef place(final String name, final int typeId, final String domain, final String topic,
                                   final String description, final int line, final List<FieldDef> fields) {
        final List<FieldDef> placed = new ArrayList<>(fields.size());
        final List<Padding> paddings = new ArrayList<>();
        int offset = 0;
        int maxAlign = 1;
        for (final FieldDef field : fields) {
            final int align = field.type().align();
            maxAlign = Math.max(maxAlign, align);
            final int aligned = roundUp(offset, align);
            if (aligned > offset) {
                paddings.add(new Padding(offset, aligned - offset));
            }
            placed.add(field.at(aligned));
            offset = aligned + field.type().size();
        }
        final int size = roundUp(offset, maxAlign);
        if (size > offset) {
            paddings.add(new Padding(offset, size - offset));
        }
        return new MessageDef(name, typeId, domain, topic, description, line, List.copyOf(placed),
            List.copyOf(paddings), size, maxAlign);
    }

    static int roundUp(final int value, final int align) {
        return (value + align - 1) / align * align;
    }

    /**
     * Derives the topic from a domain: lower-cased, with {@code marketdata} replaced by {@code market-data}
     * (the original Mycelium rule).
     *
     * @param domain the domain
     * @return the topic
     */
    public static String topic(final String domain) {
        return domain.toLowerCase(java.util.Locale.ROOT).replace("marketdata", "market-data");
    }
}
