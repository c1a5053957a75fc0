package io.mycelium.codegen.compat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mycelium.codegen.model.Contracts;
import io.mycelium.codegen.model.FieldDef;
import io.mycelium.codegen.model.MessageDef;

/**
 * Decides whether a new contracts file keeps the wire layout of every message of an old one: removed messages,
 * changed type ids or topics, and removed, added, reordered or retyped fields (capacity included) are
 * incompatible; added messages are compatible. Stateless.
 */
public final class CompatibilityChecker {

    private CompatibilityChecker() {
    }

    /**
     * @param older the contracts peers were built from
     * @param newer the candidate contracts
     * @return every problem and note, in old-file type id order
     */
    public static CompatibilityReport check(final Contracts older, final Contracts newer) {
        final List<String> problems = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Map<String, MessageDef> remaining = byName(newer);
        for (final MessageDef old : older.messages()) {
            final MessageDef now = remaining.remove(old.name());
            if (now == null) {
                problems.add("message " + old.name() + " (type id " + old.typeId() + ") removed");
                continue;
            }
            compare(old, now, problems);
        }
        for (final MessageDef added : remaining.values()) {
            notes.add("message " + added.name() + " (type id " + added.typeId() + ") added");
        }
        return new CompatibilityReport(List.copyOf(problems), List.copyOf(notes));
    }

    private static Map<String, MessageDef> byName(final Contracts contracts) {
        final Map<String, MessageDef> map = new LinkedHashMap<>();
        contracts.messages().forEach(m -> map.put(m.name(), m));
        return map;
    }

    private static void compare(final MessageDef old, final MessageDef now, final List<String> problems) {
        final String name = "message " + old.name();
        if (old.typeId() != now.typeId()) {
            problems.add(name + ": type id changed " + old.typeId() + " -> " + now.typeId());
        }
        if (!old.topic().equals(now.topic())) {
            problems.add(name + ": topic changed '" + old.topic() + "' -> '" + now.topic() + "'");
        }
        final Map<String, FieldDef> newFields = new LinkedHashMap<>();
        now.fields().forEach(f -> newFields.put(f.name(), f));
        final List<String> oldOrder = new ArrayList<>();
        final List<String> newOrder = new ArrayList<>();
        for (final FieldDef field : old.fields()) {
            final FieldDef current = newFields.get(field.name());
            if (current == null) {
                problems.add(name + ": field " + field.name() + " removed");
                continue;
            }
            oldOrder.add(field.name());
            if (!field.type().equals(current.type())) {
                problems.add(name + ": field " + field.name() + " type changed " + field.type().canonical() + " -> "
                    + current.type().canonical());
            }
        }
        final Map<String, FieldDef> oldFields = new LinkedHashMap<>();
        old.fields().forEach(f -> oldFields.put(f.name(), f));
        for (final FieldDef field : now.fields()) {
            if (!oldFields.containsKey(field.name())) {
                problems.add(name + ": field " + field.name() + " added (" + field.type().canonical()
                    + "); this changes the layout");
            } else {
                newOrder.add(field.name());
            }
        }
        if (!oldOrder.equals(newOrder)) {
            problems.add(name + ": fields reordered " + oldOrder + " -> " + newOrder);
        }
        if (old.size() != now.size() && problems.stream().noneMatch(p -> p.startsWith(name + ":"))) {
            problems.add(name + ": size changed " + old.size() + " -> " + now.size());
        }
    }
}
