package io.mycelium.python.impl.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import io.mycelium.python.impl.PythonTestSupport;
import io.mycelium.python.impl.host.PythonHost;
import io.mycelium.python.impl.interpreter.PythonInterpreter;
import io.mycelium.testsupport.LoopbackBus;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link NativeBridge#deliverBatch} takes the ring's address from {@link NativeBridge#directAddress} once and checks
 * each run's bounds itself: records inside the ring reach their callbacks, anything else is refused with a clear
 * error before Python reads memory.
 */
class NativeBridgeRegionTest {

    /** deliver.c steps from record to record by this (its RECORD_ALIGNMENT, MpscDispatchQueue.ALIGNMENT). */
    private static final int ALIGNMENT = 64;
    /** A header and an 8-byte payload. */
    private static final int RECORD = 16 + 8;
    /** Room for two records, each starting on its own aligned slot. */
    private static final int RING = 2 * ALIGNMENT;

    private static PythonHost runtime;
    private static PythonInterpreter host;
    private static long table;

    @BeforeAll
    static void startPython() {
        runtime = PythonHost.start(PythonTestSupport.config(), new LoopbackBus(), List::of,
                PythonTestSupport.DISPATCHER, 2.0);
        host = runtime.interpreter();
        host.exec("""
                import struct
                seen = []
                table = {7: (None, lambda payload: seen.append(struct.unpack_from("<q", payload)[0]))}
                def table_address():
                    return id(table)
                def seen_values():
                    return list(seen)
                """, "<region>");
        table = ((Number) host.call("__main__", "table_address")).longValue();
    }

    @AfterAll
    static void stopPython() {
        runtime.close();
    }

    private static ByteBuffer ringWith(final long... values) {
        final ByteBuffer ring = ByteBuffer.allocateDirect(RING).order(ByteOrder.nativeOrder());
        for (int i = 0; i < values.length; i++) {
            final int at = i * ALIGNMENT;
            ring.putInt(at, RECORD).putInt(at + 4, 1).putLong(at + 8, 7)
                    .order(ByteOrder.LITTLE_ENDIAN).putLong(at + 16, values[i]).order(ByteOrder.nativeOrder());
        }
        return ring;
    }

    @Test
    void shouldDeliverEveryRecordOfTheRunWhenItLiesInsideTheRing() {
        final ByteBuffer ring = ringWith(41, 42);
        final long address = NativeBridge.directAddress(ring);
        assertNotEquals(0, address);
        assertEquals(0, NativeBridge.deliverBatch(table, address, ring.capacity(), 0, 2 * ALIGNMENT, 1));
        assertEquals(List.of(41L, 42L), List.of((Object[]) host.call("__main__", "seen_values")).subList(0, 2));
    }

    @Test
    void shouldRefuseARunOutsideTheRingWhenBoundsAreWrong() {
        final ByteBuffer ring = ringWith(1);
        final long address = NativeBridge.directAddress(ring);
        for (final int[] bad : new int[][] {{-8, RECORD}, {0, -1}, {RING - 16, RECORD}, {Integer.MAX_VALUE, 8}}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NativeBridge.deliverBatch(table, address, ring.capacity(), bad[0], bad[1], 1));
            assertTrue(e.getMessage().startsWith("deliverBatch: " + bad[1] + " bytes at " + bad[0]
                    + " do not lie in a ring of " + RING + " bytes"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> NativeBridge.deliverBatch(table, 0, RING, 0, RECORD, 1));
    }

    @Test
    void shouldNameTheProblemWhenAskedForTheAddressOfAHeapOrNullBuffer() {
        assertEquals("directAddress: the buffer is not direct", assertThrows(IllegalArgumentException.class,
                () -> NativeBridge.directAddress(ByteBuffer.allocate(8))).getMessage());
        assertEquals("directAddress: the buffer is null", assertThrows(IllegalArgumentException.class,
                () -> NativeBridge.directAddress(null)).getMessage());
    }
}
