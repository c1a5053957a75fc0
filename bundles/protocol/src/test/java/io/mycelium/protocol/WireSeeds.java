package io.mycelium.protocol;

import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The valid and near-valid byte strings the fuzz tests mutate, taken from docs/wire-vectors.json so that every
 * mutation starts from what real peers send. Immutable after {@link #load()}.
 *
 * @param frames     whole TLV frames: application, control and broken ones
 * @param handshakes what a client opens with: legacy handshakes, HELLOs, invalid HELLOs and bad prefixes
 * @param replies    what a server answers: ACCEPTs, REJECTs and invalid replies
 * @param controls   control frame payloads with their type ids, valid and invalid
 */
public record WireSeeds(List<byte[]> frames, List<byte[]> handshakes, List<byte[]> replies, List<Control> controls) {

    /** A control frame payload and the type id it is decoded as. */
    public record Control(int typeId, byte[] payload) {
    }

    /** Reads the seeds from docs/wire-vectors.json. */
    public static WireSeeds load() {
        final WireVectors vectors = WireVectors.load();
        final List<byte[]> frames = new ArrayList<>();
        final List<Control> controls = new ArrayList<>();
        for (final JsonObject vector : vectors.cases("frames")) {
            frames.add(WireVectors.hex(vector, "frame"));
        }
        for (final JsonObject vector : vectors.cases("frame_errors")) {
            frames.add(WireVectors.hex(vector, "bytes"));
        }
        for (final JsonObject vector : vectors.cases("control")) {
            final byte[] frame = WireVectors.hex(vector, "frame");
            frames.add(frame);
            controls.add(new Control((frame[0] & 0xFF) | (frame[1] & 0xFF) << 8, Arrays.copyOfRange(frame, 6,
                    frame.length)));
        }
        for (final JsonObject vector : vectors.cases("control_invalid")) {
            final int typeId = vector.get("type_id").getAsInt();
            final byte[] payload = WireVectors.hex(vector, "payload");
            controls.add(new Control(typeId, payload));
            frames.add(frame(typeId, payload));
        }
        final List<byte[]> handshakes = new ArrayList<>();
        for (final String kind : new String[] {"legacy", "hello"}) {
            for (final JsonObject vector : vectors.cases("handshake", kind)) {
                handshakes.add(WireVectors.hex(vector, "bytes"));
            }
        }
        for (final String list : new String[] {"handshake_invalid_hello", "handshake_invalid_prefix"}) {
            for (final JsonObject vector : vectors.cases(list)) {
                handshakes.add(WireVectors.hex(vector, "bytes"));
            }
        }
        final List<byte[]> replies = new ArrayList<>();
        for (final String kind : new String[] {"accept", "reject"}) {
            for (final JsonObject vector : vectors.cases("handshake", kind)) {
                replies.add(WireVectors.hex(vector, "bytes"));
            }
        }
        for (final JsonObject vector : vectors.cases("handshake_invalid_reply")) {
            replies.add(WireVectors.hex(vector, "bytes"));
        }
        return new WireSeeds(List.copyOf(frames), List.copyOf(handshakes), List.copyOf(replies),
                List.copyOf(controls));
    }

    /** Returns 1..{@code max} seed frames back to back, picked by {@code random}. */
    public byte[] frameStream(final SplittableRandom random, final int max) {
        final int count = 1 + random.nextInt(max);
        byte[] stream = new byte[0];
        for (int i = 0; i < count; i++) {
            final byte[] frame = frames.get(random.nextInt(frames.size()));
            final byte[] joined = Arrays.copyOf(stream, stream.length + frame.length);
            System.arraycopy(frame, 0, joined, stream.length, frame.length);
            stream = joined;
        }
        return stream;
    }

    /** Returns the TLV frame of {@code typeId} carrying {@code payload}. */
    public static byte[] frame(final int typeId, final byte[] payload) {
        final byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) typeId;
        frame[1] = (byte) (typeId >>> 8);
        frame[2] = (byte) payload.length;
        frame[3] = (byte) (payload.length >>> 8);
        frame[4] = (byte) (payload.length >>> 16);
        frame[5] = (byte) (payload.length >>> 24);
        System.arraycopy(payload, 0, frame, 6, payload.length);
        return frame;
    }
}
