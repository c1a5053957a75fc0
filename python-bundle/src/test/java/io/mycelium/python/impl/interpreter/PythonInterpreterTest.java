package io.mycelium.python.impl.interpreter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.mycelium.python.PythonServiceException;
import io.mycelium.python.impl.PythonTestSupport;
import io.mycelium.python.impl.service.BusUpcalls;
import io.mycelium.python.impl.service.PythonServiceRegistry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the real CPython through the real bridge (one interpreter for the class: surefire forks per class). */
class PythonInterpreterTest {

    private static PythonInterpreter host;

    @BeforeAll
    static void startPython() {
        // a bare host: no bus, no services
        host = PythonInterpreter.start(PythonTestSupport.config(),
                new BusUpcalls(null, List::of, new PythonServiceRegistry(PythonTestSupport.DISPATCHER)));
    }

    @AfterAll
    static void stopPython() {
        host.close();
        host.close(); // idempotent
    }

    @Test
    void shouldReturnResultWhenCallingAFunctionOfAnExtensionModule() {
        // math is a lib-dynload extension in this CPython: importing it proves libpython is RTLD_GLOBAL
        assertEquals(4.0, host.call("math", "sqrt", 16.0));
    }

    @Test
    void shouldImportNumpyWhenLibpythonIsPromotedToGlobal() {
        host.exec("import importlib.util\ndef has(name):\n    return importlib.util.find_spec(name) is not None\n",
                "<has>");
        Assumptions.assumeTrue((Boolean) host.call("__main__", "has", "numpy"), "numpy is not installed");
        host.exec("import numpy\ndef total(data):\n    return int(numpy.frombuffer(data, dtype=numpy.uint8).sum())\n",
                "<numpy>");
        assertEquals(6L, host.call("__main__", "total", new byte[] {1, 2, 3}));
    }

    @Test
    void shouldConvertValuesBothWaysWhenCallingPython() {
        host.exec("def echo(*args):\n    return list(args)\n", "<echo>");
        final Object[] result = (Object[]) host.call("__main__", "echo", "snake \uD83D\uDC0D", 7, 1L << 40, true,
                null, 2.5, new byte[] {1, 2, 3}, new Object[] {"nested"});
        assertEquals("snake \uD83D\uDC0D", result[0]);
        assertEquals(7L, result[1]);
        assertEquals(1L << 40, result[2]);
        assertEquals(Boolean.TRUE, result[3]);
        assertNull(result[4]);
        assertEquals(2.5, result[5]);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) result[6]);
        assertArrayEquals(new Object[] {"nested"}, (Object[]) result[7]);
    }

    @Test
    void shouldThrowWithTypeMessageAndTracebackWhenPythonRaises() {
        host.exec("def inner(n):\n    raise ValueError(f'bad payload type {n}')\n\ndef boom(n):\n    inner(n)\n",
                "boom.py");
        final PythonServiceException e = assertThrows(PythonServiceException.class,
                () -> host.call("__main__", "boom", 42));
        assertEquals("ValueError", e.pythonType());
        assertEquals("bad payload type 42", e.pythonMessage());
        assertTrue(e.pythonTraceback().contains("File \"boom.py\", line 5, in boom"), e.pythonTraceback());
        assertTrue(e.pythonTraceback().contains("File \"boom.py\", line 2, in inner"), e.pythonTraceback());
        assertTrue(e.getMessage().startsWith("ValueError: bad payload type 42"), e.getMessage());
    }

    @Test
    void shouldThrowQualifiedTypeWhenExceptionClassIsNotBuiltin() {
        final PythonServiceException e = assertThrows(PythonServiceException.class,
                () -> host.call("json", "loads", "{not json"));
        assertEquals("json.decoder.JSONDecodeError", e.pythonType());
    }

    @Test
    void shouldThrowSyntaxErrorWhenSourceDoesNotCompile() {
        final PythonServiceException e = assertThrows(PythonServiceException.class,
                () -> host.exec("def broken(:\n", "broken.py"));
        assertEquals("SyntaxError", e.pythonType());
    }

    @Test
    void shouldKeepJvmAndInterpreterAliveWhenPythonCallsSysExit() {
        final PythonServiceException e = assertThrows(PythonServiceException.class,
                () -> host.call("sys", "exit", 3));
        assertEquals("SystemExit", e.pythonType());
        assertEquals("3", e.pythonMessage());
        assertEquals(2L, host.call("operator", "add", 1, 1));
    }

    @Test
    void shouldRejectUnsupportedJavaArgumentWithTypeError() {
        final PythonServiceException e = assertThrows(PythonServiceException.class,
                () -> host.call("builtins", "repr", ByteBuffer.allocate(1)));
        assertEquals("TypeError", e.pythonType());
        assertTrue(e.pythonMessage().contains("java.nio.HeapByteBuffer"), e.pythonMessage());
    }

    @Test
    void shouldKeepOneThreadStatePerThreadWhenManyJavaThreadsCallPython() throws Exception {
        // threading.local lives in the thread state: a per-call thread state would reset the counter every call
        host.exec("import threading\n_local = threading.local()\n"
                + "def count():\n    _local.n = getattr(_local, 'n', 0) + 1\n    return _local.n\n", "<count>");
        final int threads = 4;
        final int calls = 2_000;
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            final List<Future<Object>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    Object last = null;
                    for (int i = 0; i < calls; i++) {
                        last = host.call("__main__", "count");
                    }
                    host.detachCurrentThread();
                    return last;
                }));
            }
            for (final Future<Object> result : results) {
                assertEquals((long) calls, result.get());
            }
        } finally {
            pool.shutdown();
        }
    }
}
