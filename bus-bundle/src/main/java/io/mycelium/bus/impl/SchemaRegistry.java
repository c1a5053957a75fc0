package io.mycelium.bus.impl;

import java.util.ArrayList;
import java.util.List;

import io.mycelium.api.MessageType;
import io.mycelium.api.Schema;
import io.mycelium.api.SchemaStatus;

/**
 * The schemas a bus tracks, in arrival order, and which of them are active. A schema is refused (kept inactive,
 * with a log line saying why) while one of its type ids belongs to an active schema with another digest; when a
 * schema goes away, refused ones are retried in arrival order. A schema with the digest of an active one is active
 * too and shares its types. All methods are serialised on this object; schema changes are rare.
 */
final class SchemaRegistry {

    private final TopicTable topics;
    private final LogSink log;
    private final List<Entry> entries = new ArrayList<>();

    SchemaRegistry(final TopicTable topics, final LogSink log) {
        this.topics = topics;
        this.log = log;
    }

    /**
     * Tracks a new schema and activates it unless its type ids clash with an active schema.
     *
     * @param schema the schema service
     * @return whether it is active
     */
    synchronized boolean add(final Schema schema) {
        final Entry entry = new Entry(schema);
        entries.add(entry);
        tryActivate(entry);
        return entry.active;
    }

    /**
     * Forgets a schema; its types leave their topics when no active schema of the same digest remains, and refused
     * schemas are retried.
     *
     * @param schema the schema service going away
     */
    synchronized void remove(final Schema schema) {
        Entry removed = null;
        for (final Entry e : entries) {
            if (e.schema == schema) {
                removed = e;
                break;
            }
        }
        if (removed == null) {
            return;
        }
        entries.remove(removed);
        if (!removed.active) {
            return;
        }
        final Entry twin = activeWithDigest(removed.digestHex);
        for (final MessageType<?> t : removed.schema.types()) {
            final Topic topic = topics.topic(t.typeId());
            if (twin != null) {
                topic.schemaType(twin.schema.type(t.typeId()), twin.schema.id());
            } else {
                topic.schemaType(null, "");
            }
        }
        log.info("schema '" + removed.schema.id() + "' (" + removed.digestHex + ") removed from the bus");
        for (final Entry e : entries) {
            if (!e.active) {
                tryActivate(e);
            }
        }
    }

    /** @return the status of every tracked schema, in arrival order */
    synchronized List<SchemaStatus> statuses() {
        final List<SchemaStatus> list = new ArrayList<>(entries.size());
        for (final Entry e : entries) {
            list.add(new SchemaStatus(e.schema.id(), e.digestHex, e.schema.types().size(), e.active, e.problem));
        }
        return list;
    }

    private void tryActivate(final Entry entry) {
        final String problem = clash(entry);
        if (problem != null) {
            final boolean changed = !problem.equals(entry.problem);
            entry.problem = problem;
            if (changed) {
                log.warn("schema '" + entry.schema.id() + "' (" + entry.digestHex + ") refused and kept inactive: "
                    + problem + ". Remove one of the protocol bundles or renumber the types in contracts.yaml; the "
                    + "bus retries when a schema is removed", null);
            }
            return;
        }
        entry.active = true;
        entry.problem = "";
        for (final MessageType<?> t : entry.schema.types()) {
            final Topic topic = topics.topic(t.typeId());
            if (topic.schemaType() == null) {
                topic.schemaType(t, entry.schema.id());
            }
        }
        log.info("schema '" + entry.schema.id() + "' (" + entry.digestHex + ") active on the bus with "
            + entry.schema.types().size() + " types");
    }

    private String clash(final Entry entry) {
        for (final MessageType<?> t : entry.schema.types()) {
            for (final Entry other : entries) {
                if (other != entry && other.active && !other.digestHex.equals(entry.digestHex)
                    && other.schema.type(t.typeId()) != null) {
                    return "type id " + t.typeId() + " (" + t.name() + ") is already registered by active schema '"
                        + other.schema.id() + "' (" + other.digestHex + ") as "
                        + other.schema.type(t.typeId()).name();
                }
            }
        }
        return null;
    }

    private Entry activeWithDigest(final String digestHex) {
        for (final Entry e : entries) {
            if (e.active && e.digestHex.equals(digestHex)) {
                return e;
            }
        }
        return null;
    }

    /** A tracked schema; mutable fields guarded by the registry. */
    private static final class Entry {
        final Schema schema;
        final String digestHex;
        boolean active;
        String problem = "";

        Entry(final Schema schema) {
            this.schema = schema;
            this.digestHex = schema.digestHex();
        }
    }
}
