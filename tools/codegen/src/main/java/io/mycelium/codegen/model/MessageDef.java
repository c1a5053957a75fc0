package io.mycelium.codegen.model;

import java.util.List;

/**
 * One message of contracts.yaml with its computed C layout.
 *
 * @param name        the message name, e.g. {@code TextMessage}
 * @param typeId      the {@code tlv_type}
 * @param domain      the domain the topic derives from
 * @param topic       the derived topic
 * @param description the documentation text
 * @param line        1-based line of the message in contracts.yaml
 * @param fields      fields in declaration (= layout) order, with offsets
 * @param paddings    padding runs in offset order
 * @param size        the payload size in bytes
 * @param align       the struct alignment
 */
public record MessageDef(String name, int typeId, String domain, String topic, String description, int line,
                         List<FieldDef> fields, List<Padding> paddings, int size, int align) {

    /** @return whether any field has validation rules */
    public boolean validated() {
        return fields.stream().anyMatch(f -> f.validation().any());
    }
}
