package io.mycelium.python.impl.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mycelium.python.PythonServiceException;
import io.mycelium.python.impl.PythonTestSupport;
import io.mycelium.python.impl.dispatch.DispatcherSettings;
import io.mycelium.python.impl.dispatch.PythonDispatcher;
import io.mycelium.api.Delivery;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.python.impl.interpreter.PythonInterpreter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mycelium_native's Runtime against a real CPython and an in-test bus: publish, subscribe, errors. */
class PythonHostTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int PING = 1001;
    private static final int BLOB = 1002;

    private static LoopbackBus bus;
    private static PythonHost runtime;
    private static PythonInterpreter host;

    @BeforeAll
    static void startPython() {
        bus = new LoopbackBus();
        runtime = PythonHost.start(PythonTestSupport.config(), bus,
                () -> List.of(PythonTestSupport.FIXTURE_DIGEST), PythonTestSupport.SPINNING_DISPATCHER, 2.0);
        host = runtime.interpreter();
        host.exec("""
                from mycelium_native import Runtime
                from mycelium_protocol import SCHEMA_DIGEST
                from mycelium_protocol.messages import Ping, Blob
                runtime = Runtime(schema_digest=SCHEMA_DIGEST)
                received = []
                def on_ping(msg):
                    received.append(msg.value)
                    if msg.value < 0:
                        raise ValueError(f"negative ping {msg.value}")
                def received_count():
                    return len(received)
                def value(expression):
                    return eval(expression)
                def node_of(path, name):
                    return Runtime(topology_path=path, service_name=name).node_name
                def publish_pings(n):
                    for i in range(n):
                        runtime.publish(Ping(i))
                class Valued:  # a message class as generated ones are: __slots__, no instance __dict__
                    __slots__ = ("value",)
                    TYPE_ID = 1001
                    def __init__(self, value):
                        self.value = value
                    def to_bytes(self):
                        return bytes([self.value]) * 8
                """, "<runtime-test>");
    }

    @AfterAll
    static void stopPython() {
        runtime.close();
        runtime.close();
    }

    private static ByteBuffer ping(final long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
    }

    @Test
    void shouldDeliverToJavaSubscriberWhenPythonPublishes() {
        final List<Long> seen = new CopyOnWriteArrayList<>();
        try (var subscription = bus.subscribeRaw(PING, (type, payload) ->
                seen.add(payload.order(ByteOrder.LITTLE_ENDIAN).getLong(payload.position())), Delivery.INLINE)) {
            host.call("__main__", "publish_pings", 1000);
        }
        assertEquals(1000, seen.size());
        assertEquals(999L, seen.get(999));
    }

    @Test
    void shouldAttachPythonThreadToJvmWhenItPublishes() throws Exception {
        final List<String> threads = new CopyOnWriteArrayList<>();
        try (var subscription = bus.subscribeRaw(PING, (type, payload) ->
                threads.add(Thread.currentThread().getName()), Delivery.INLINE)) {
            host.exec("""
                    import threading
                    worker = threading.Thread(target=publish_pings, args=(100,), name="worker")
                    worker.start()
                    worker.join()
                    """, "<thread>");
        }
        assertEquals(100, threads.size());
        assertEquals("python-worker", threads.get(0));
    }

    @Test
    void shouldKeepOuterPayloadWhenJavaHandlerPublishesFromPythonAgain() {
        host.exec("""
                from mycelium_protocol.messages import TradeSignal
                def nested_publish():
                    runtime.publish(TradeSignal(symbol="NEST", action="x"))
                """, "<nested>");
        final List<Long> seen = new CopyOnWriteArrayList<>();
        final List<Integer> nested = new CopyOnWriteArrayList<>();
        try (var first = bus.subscribeRaw(PING, (type, payload) -> host.call("__main__", "nested_publish"), Delivery.INLINE);
             var trade = bus.subscribeRaw(1010, (type, payload) -> nested.add(payload.remaining()), Delivery.INLINE);
             var second = bus.subscribeRaw(PING, (type, payload) ->
                     seen.add(payload.order(ByteOrder.LITTLE_ENDIAN).getLong(payload.position())), Delivery.INLINE)) {
            host.exec("runtime.publish(Ping(12345))\n", "<outer>");
        }
        assertEquals(List.of(24), nested);
        assertEquals(List.of(12345L), seen); // the nested publish did not overwrite the outer payload
    }

    @Test
    void shouldCallPythonCallbackWhenJavaPublishes() throws Exception {
        host.exec("ping_sub = runtime.subscribe(Ping, on_ping)\nreceived.clear()\n", "<subscribe>");
        try {
            for (int i = 0; i < 500; i++) {
                bus.publishRaw(PING, ping(i));
            }
            assertTrue(PythonTestSupport.await(WAIT, () -> (Long) host.call("__main__", "received_count") == 500));
            assertEquals(499L, host.call("operator", "getitem", host.call("__main__", "value", "received"), 499));
        } finally {
            host.exec("ping_sub.close()\nping_sub.close()\n", "<close>");
        }
        assertEquals(0, bus.subscribers(PING));
    }

    @Test
    void shouldLeaveKeptPayloadsIntactWhenTheDispatcherReusesPayloadObjects() throws Exception {
        host.exec("""
                kept = []
                wrong = []
                class RawPing:
                    TYPE_ID = Ping.TYPE_ID
                    from_bytes = staticmethod(lambda payload: payload)
                def keep_odd(payload):
                    value = int.from_bytes(payload, "little")
                    # a refilled object must not answer the hash of what it held before
                    if hash(payload) != hash(bytes(bytearray(payload))):
                        wrong.append(value)
                    if value % 2:
                        kept.append((value, payload))  # the object itself: later payloads must not overwrite it
                raw_sub = runtime.subscribe(RawPing, keep_odd)
                """, "<reuse>");
        try {
            for (int i = 0; i < 200; i++) {
                bus.publishRaw(PING, ping(i));
            }
            assertTrue(PythonTestSupport.await(WAIT, () -> (Long) host.call("__main__", "value", "len(kept)") == 100));
            assertEquals(0L, host.call("__main__", "value", "len(wrong)"));
            assertEquals(true, host.call("__main__", "value",
                    "all(int.from_bytes(p, 'little') == v for v, p in kept) and [v for v, _ in kept] == "
                            + "list(range(1, 200, 2))"));
        } finally {
            host.exec("raw_sub.close()\n", "<close>");
        }
    }

    @Test
    void shouldStayAwakeWhenMessagesArriveWithinTheSpinAndParkWhenNot() throws Exception {
        host.exec("""
                spun = []
                spin_table = {1: (None, lambda payload: spun.append(int.from_bytes(payload, "little")))}
                """, "<spin>");
        final long table = (Long) host.call("__main__", "value", "id(spin_table)");
        // a spin far longer than the pauses between messages, however loaded the machine: the dispatcher never parks
        final PythonDispatcher spinning = new PythonDispatcher(runtime.defaultService().id(), "spin-test", table,
                new DispatcherSettings(DispatcherSettings.MIN_QUEUE_BYTES, Duration.ofSeconds(30).toNanos()));
        try {
            for (int i = 0; i < 20; i++) {
                spinning.offer(1, PING, ping(i));
                final long delivered = i + 1;
                assertTrue(PythonTestSupport.await(WAIT, () -> spinning.delivered() == delivered));
                Thread.sleep(1); // not a wait for an outcome: the gap the spinning dispatcher must bridge awake
            }
            assertTrue(PythonTestSupport.await(WAIT, () -> (Long) host.call("__main__", "value", "len(spun)") == 20));
            assertEquals(0, spinning.parks());
        } finally {
            assertTrue(spinning.close(5_000));
        }
        final PythonDispatcher parking = new PythonDispatcher(runtime.defaultService().id(), "park-test", table,
                new DispatcherSettings(DispatcherSettings.MIN_QUEUE_BYTES, 0));
        try {
            assertTrue(PythonTestSupport.await(WAIT, () -> parking.parks() == 1)); // idle from the start
            parking.offer(1, PING, ping(20));
            assertTrue(PythonTestSupport.await(WAIT, () -> parking.parks() == 2)); // woken, delivered, asleep again
            assertTrue(PythonTestSupport.await(WAIT, () -> (Long) host.call("__main__", "value", "len(spun)") == 21));
        } finally {
            assertTrue(parking.close(5_000));
        }
    }

    @Test
    void shouldDeliverLargePayloadAsReleasedMemoryviewWhenAboveCopyLimit() throws Exception {
        host.exec("""
                blobs = []
                views = []
                def on_blob_raw(view):
                    views.append(view)
                    blobs.append(Blob.from_bytes(view))
                class RawBlob:
                    TYPE_ID = Blob.TYPE_ID
                    from_bytes = staticmethod(lambda payload: payload)
                blob_sub = runtime.subscribe(RawBlob, on_blob_raw)
                """, "<blob>");
        try {
            host.exec("runtime.publish(Blob(7))\n", "<publish-blob>");
            assertTrue(PythonTestSupport.await(WAIT, () -> (Long) host.call("__main__", "value", "len(blobs)") == 1));
            final long expected = (Long) host.call("__main__", "value", "Blob.from_bytes(Blob(7).to_bytes()).checksum");
            assertEquals(expected, host.call("__main__", "value", "blobs[0].checksum"));
            assertEquals("memoryview", host.call("__main__", "value", "type(views[0]).__name__"));
            // the view was released after the callback: keeping it cannot read recycled memory
            final PythonServiceException e = assertThrows(PythonServiceException.class,
                    () -> host.call("__main__", "value", "views[0][0]"));
            assertEquals("ValueError", e.pythonType());
        } finally {
            host.exec("blob_sub.close()\n", "<close>");
        }
    }

    @Test
    void shouldReportBufferErrorWhenCallbackKeepsAnExportOfLargePayload() throws Exception {
        host.exec("""
                import pickle
                exports = []
                class KeptBlob:
                    TYPE_ID = Blob.TYPE_ID
                    from_bytes = staticmethod(lambda payload: payload)
                export_sub = runtime.subscribe(KeptBlob, lambda view: exports.append(pickle.PickleBuffer(view)))
                """, "<export>");
        try {
            final long errorsBefore = runtime.defaultService().errors();
            host.exec("runtime.publish(Blob(3))\n", "<publish-blob>");
            assertTrue(PythonTestSupport.await(WAIT, () -> runtime.defaultService().errors() == errorsBefore + 1));
        } finally {
            host.exec("export_sub.close()\n", "<close>");
        }
    }

    @Test
    void shouldCountAndContinueWhenCallbackRaises() throws Exception {
        host.exec("bad_sub = runtime.subscribe(Ping, on_ping)\nreceived.clear()\n", "<subscribe>");
        try {
            final long errorsBefore = runtime.defaultService().errors();
            bus.publishRaw(PING, ping(-1));
            bus.publishRaw(PING, ping(5));
            assertTrue(PythonTestSupport.await(WAIT, () -> (Long) host.call("__main__", "received_count") == 2));
            assertTrue(PythonTestSupport.await(WAIT, () -> runtime.defaultService().errors() == errorsBefore + 1));
        } finally {
            host.exec("bad_sub.close()\n", "<close>");
        }
    }

    @Test
    void shouldRaiseValueErrorNamingBothDigestsWhenSchemaDiffers() {
        final PythonServiceException e = assertThrows(PythonServiceException.class,
                () -> host.exec("Runtime(schema_digest=bytes(32))\n", "<mismatch>"));
        assertEquals("ValueError", e.pythonType());
        assertTrue(e.pythonMessage().contains("0".repeat(64)), e.pythonMessage());
        assertTrue(e.pythonMessage().contains(PythonTestSupport.FIXTURE_DIGEST), e.pythonMessage());
    }

    @Test
    void shouldRaiseRuntimeErrorWhenOnlyTopologyPathIsGiven() {
        final PythonServiceException e = assertThrows(PythonServiceException.class,
                () -> host.exec("Runtime(topology_path='topology.toml')\n", "<half>"));
        assertEquals("RuntimeError", e.pythonType());
        assertTrue(e.pythonMessage().contains("service_name"), e.pythonMessage());
    }

    @Test
    void shouldCheckServiceAgainstTopologyWhenBothAreGiven(@TempDir final Path dir) throws Exception {
        final Path topology = Files.writeString(dir.resolve("topology.toml"),
                "[[nodes]]\nname = \"main\"\nservices = [\"python-ml-model\", \"rust-executor\"]\n");
        assertEquals("main", host.call("__main__", "node_of", topology.toString(), "python-ml-model"));
        final PythonServiceException e = assertThrows(PythonServiceException.class,
                () -> host.call("__main__", "node_of", topology.toString(), "unknown-service"));
        assertEquals("RuntimeError", e.pythonType());
        assertTrue(e.pythonMessage().contains("'unknown-service'"), e.pythonMessage());
        assertTrue(e.pythonMessage().contains("python-ml-model, rust-executor"), e.pythonMessage());
    }

    @Test
    void shouldRaiseJavaArgumentErrorWithJavaClassWhenJavaRejectsInput() {
        host.exec("""
                import _mycelium
                from mycelium_native import JavaArgumentError
                def rejected():
                    try:
                        _mycelium.subscribe(999999, 1001, False)
                    except JavaArgumentError as error:
                        return [error.java_class, isinstance(error, ValueError), str(error)]
                """, "<java-error>");
        final Object[] rejected = (Object[]) host.call("__main__", "rejected");
        assertEquals("java.lang.IllegalArgumentException", rejected[0]);
        assertEquals(Boolean.TRUE, rejected[1]);
        assertTrue(((String) rejected[2]).contains("no running Python service has id 999999"), (String) rejected[2]);
    }

    @Test
    void shouldRaiseNamedErrorsInPythonWhenRuntimePublishGetsNoUsableMessage() {
        host.exec("""
                class NoMessage:
                    pass
                class HugeTypeId:
                    TYPE_ID = 2 ** 40
                    def to_bytes(self):
                        return b"x"
                class FailingEncode:
                    TYPE_ID = 1001
                    def to_bytes(self):
                        raise ValueError("cannot encode")
                class TextPayload:
                    TYPE_ID = 1001
                    def to_bytes(self):
                        return "text"
                def publish_error(message, target=None):
                    try:
                        (target or runtime).publish(message)
                    except Exception as error:
                        return [type(error).__name__, str(error)]
                    return None
                def closed_runtime():
                    closed = Runtime()
                    closed.close()
                    return closed
                """, "<bad-messages>");
        assertEquals(List.of("TypeError", "publish() takes a generated message (with TYPE_ID and to_bytes()), not "
                + "NoMessage"), List.of((Object[]) host.call("__main__", "value", "publish_error(NoMessage())")));
        assertEquals("OverflowError", ((Object[]) host.call("__main__", "value", "publish_error(HugeTypeId())"))[0]);
        assertEquals(List.of("ValueError", "cannot encode"),
                List.of((Object[]) host.call("__main__", "value", "publish_error(FailingEncode())")));
        assertEquals("TypeError", ((Object[]) host.call("__main__", "value", "publish_error(TextPayload())"))[0]);
        assertEquals(List.of("RuntimeError", "Runtime is closed"), List.of((Object[]) host.call("__main__", "value",
                "publish_error(Ping(1), closed_runtime())")));
    }

    /** What Java saw of each publish of type ids 1001 and 1010: "typeId:first payload byte". */
    private static List<String> published(final String python) {
        final List<String> seen = new CopyOnWriteArrayList<>();
        try (var ping = bus.subscribeRaw(PING, (type, payload) -> seen.add(type + ":" + payload.get(payload.position())),
                Delivery.INLINE);
             var trade = bus.subscribeRaw(1010, (type, payload) -> seen.add(type + ":" + payload.get(
                     payload.position())), Delivery.INLINE)) {
            host.exec(python, "<published>");
        }
        return seen;
    }

    @Test
    void shouldPublishTheClassesCurrentTypeIdAndEncodingWhenASlottedMessageClassChangesBetweenPublishes() {
        // publish remembers a __slots__ class's TYPE_ID and to_bytes (module_native.c): every change of the class,
        // or of a base, must be seen by the next publish
        host.exec("""
                class SlottedBase(Valued):
                    __slots__ = ()
                class Slotted(SlottedBase):
                    __slots__ = ()
                class OtherSlotted(SlottedBase):
                    __slots__ = ()
                    TYPE_ID = 1010
                """, "<slotted>");
        assertEquals(List.of("1001:1", "1001:1", "1010:2", "1001:3"), published("""
                runtime.publish(Slotted(1)); runtime.publish(Slotted(1))
                runtime.publish(OtherSlotted(2)); runtime.publish(Slotted(3))
                """));
        assertEquals(List.of("1001:4", "1010:5", "1010:6"), published("""
                runtime.publish(Slotted(4))
                Slotted.TYPE_ID = 1010
                runtime.publish(Slotted(5))
                del Slotted.TYPE_ID  # the base's again
                SlottedBase.TYPE_ID = 1010
                runtime.publish(Slotted(6))
                """));
        assertEquals(List.of("1010:7", "1010:9", "1001:8"), published("""
                runtime.publish(Slotted(7))
                SlottedBase.to_bytes = lambda self: bytes([self.value + 2]) * 8
                runtime.publish(Slotted(7))
                SlottedBase.TYPE_ID = 1001
                Slotted.to_bytes = lambda self: bytes([self.value]) * 8
                runtime.publish(Slotted(8))
                """));
    }

    @Test
    void shouldPublishEachSlottedClassWithItsOwnTypeIdWhenSeveralPythonThreadsAlternateClasses() {
        // each thread remembers its own last class; alternating classes and threads must never mix them up
        host.exec("""
                import threading
                class Even(Valued):
                    __slots__ = ()
                    def to_bytes(self):
                        return bytes([self.value % 2]) * 8
                class Odd(Even):
                    __slots__ = ()
                    TYPE_ID = 1010
                def alternate():
                    for i in range(400):
                        runtime.publish((Even if i % 2 == 0 else Odd)(i))
                workers = [threading.Thread(target=alternate) for _ in range(4)]
                """, "<alternate>");
        final List<String> seen = published("""
                for worker in workers:
                    worker.start()
                for worker in workers:
                    worker.join()
                """);
        assertEquals(1600, seen.size());
        assertEquals(800, seen.stream().filter("1001:0"::equals).count());
        assertEquals(800, seen.stream().filter("1010:1"::equals).count());
    }

    @Test
    void shouldPublishBothWhenASlottedMessagesToBytesPublishesAnotherClass() {
        host.exec("""
                class Inner(Valued):
                    __slots__ = ()
                    TYPE_ID = 1010
                class Outer(Valued):
                    __slots__ = ()
                    def to_bytes(self):
                        if self.value == 2:  # replaces what this thread remembers while Outer is being published
                            runtime.publish(Inner(2))
                        return bytes([1]) * 8
                """, "<reentrant>");
        assertEquals(List.of("1001:1", "1001:1", "1010:2", "1001:1", "1001:1"), published("""
                runtime.publish(Outer(1))
                runtime.publish(Outer(1))
                runtime.publish(Outer(2))
                runtime.publish(Outer(1))
                """));
    }

    @Test
    void shouldRaiseNamedErrorsInPythonWhenAPublishedSlottedMessageLaterFailsToEncode() {
        host.exec("""
                class Checked(Valued):
                    __slots__ = ()
                    def to_bytes(self):
                        if self.value < 0:
                            raise ValueError(f"Checked.value {self.value} is negative")
                        return "text" if self.value == 0 else bytearray([self.value]) * 8
                def publish_checked(values):
                    errors = []
                    for value in values:
                        try:
                            runtime.publish(Checked(value))
                        except Exception as error:
                            errors.append(f"{type(error).__name__}: {error}")
                    return errors
                """, "<checked>");
        final List<String> seen = new CopyOnWriteArrayList<>();
        final Object[] errors;
        try (var ping = bus.subscribeRaw(PING, (type, payload) -> seen.add(type + ":" + payload.get(
                payload.position())), Delivery.INLINE)) {
            errors = (Object[]) host.call("__main__", "value", "publish_checked([1, 1, -2, 0, 3])");
        }
        assertEquals(List.of("1001:1", "1001:1", "1001:3"), seen); // a bytearray from to_bytes is published too
        assertEquals(2, errors.length);
        assertEquals("ValueError: Checked.value -2 is negative", errors[0]);
        assertTrue(((String) errors[1]).startsWith("TypeError"), (String) errors[1]);
    }

    @Test
    void shouldRaiseTypeErrorInPythonWhenPublishGetsNoBuffer() {
        final PythonServiceException e = assertThrows(PythonServiceException.class,
                () -> host.exec("import _mycelium\n_mycelium.publish(1001, 'not bytes')\n", "<bad-publish>"));
        assertEquals("TypeError", e.pythonType());
    }
}
