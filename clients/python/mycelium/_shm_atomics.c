/*
 * mycelium._shm_atomics: the memory-ordered loads and stores a shared-memory ring needs (docs/wire.md §7,
 * docs/python-sdk.md "Memory ordering"), which Python itself cannot express.
 *
 * One type, Region, holds a buffer (the segment's mmap) for its lifetime and offers acquire loads, release stores,
 * an atomic exchange and a full fence on 4- and 8-byte words at byte offsets into it, plus a spin-wait that releases
 * the GIL. Every offset is checked (inside the buffer and naturally aligned), so a wrong offset raises ValueError
 * instead of touching memory outside the mapping. Built by the in-tree build backend (_build/mycelium_build.py) with
 * the machine's C compiler; mycelium/shmring.py falls back to pure Python on x86-64 when it is absent.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

typedef struct {
    PyObject_HEAD
    Py_buffer view;
    int held;
} Region;

static int region_init(Region *self, PyObject *args, PyObject *kwds) {
    PyObject *buffer;
    static char *keywords[] = {"buffer", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:Region", keywords, &buffer)) {
        return -1;
    }
    if (self->held) {
        PyErr_SetString(PyExc_RuntimeError, "Region already initialised");
        return -1;
    }
    if (PyObject_GetBuffer(buffer, &self->view, PyBUF_WRITABLE) != 0) {
        return -1;
    }
    self->held = 1;
    return 0;
}

static void region_dealloc(Region *self) {
    if (self->held) {
        PyBuffer_Release(&self->view);
        self->held = 0;
    }
    Py_TYPE(self)->tp_free((PyObject *) self);
}

/* The address of a `size`-byte word at `offset`, or NULL with ValueError set. */
static char *word(Region *self, PyObject *offset_object, Py_ssize_t size) {
    if (!self->held) {
        PyErr_SetString(PyExc_ValueError, "region released (the segment is unmapped)");
        return NULL;
    }
    Py_ssize_t offset = PyLong_AsSsize_t(offset_object);
    if (offset == -1 && PyErr_Occurred()) {
        return NULL;
    }
    char *base = (char *) self->view.buf;
    if (offset < 0 || offset > self->view.len - size || ((uintptr_t) (base + offset) & (size - 1)) != 0) {
        PyErr_Format(PyExc_ValueError, "offset %zd of a %zd-byte word is outside the %zd-byte region or not aligned",
                     offset, size, self->view.len);
        return NULL;
    }
    return base + offset;
}

static int check_args(Py_ssize_t nargs, Py_ssize_t expected, const char *name) {
    if (nargs != expected) {
        PyErr_Format(PyExc_TypeError, "%s takes %zd arguments (%zd given)", name, expected, nargs);
        return 0;
    }
    return 1;
}

static PyObject *load_u32(Region *self, PyObject *const *args, Py_ssize_t nargs) {
    if (!check_args(nargs, 1, "load_u32")) return NULL;
    uint32_t *p = (uint32_t *) word(self, args[0], 4);
    if (p == NULL) return NULL;
    return PyLong_FromUnsignedLong(__atomic_load_n(p, __ATOMIC_ACQUIRE));
}

static PyObject *load_u64(Region *self, PyObject *const *args, Py_ssize_t nargs) {
    if (!check_args(nargs, 1, "load_u64")) return NULL;
    uint64_t *p = (uint64_t *) word(self, args[0], 8);
    if (p == NULL) return NULL;
    return PyLong_FromUnsignedLongLong(__atomic_load_n(p, __ATOMIC_ACQUIRE));
}

static PyObject *store_u32(Region *self, PyObject *const *args, Py_ssize_t nargs) {
    if (!check_args(nargs, 2, "store_u32")) return NULL;
    uint32_t *p = (uint32_t *) word(self, args[0], 4);
    if (p == NULL) return NULL;
    unsigned long value = PyLong_AsUnsignedLongMask(args[1]);
    if (value == (unsigned long) -1 && PyErr_Occurred()) return NULL;
    __atomic_store_n(p, (uint32_t) value, __ATOMIC_RELEASE);
    Py_RETURN_NONE;
}

static PyObject *store_u64(Region *self, PyObject *const *args, Py_ssize_t nargs) {
    if (!check_args(nargs, 2, "store_u64")) return NULL;
    uint64_t *p = (uint64_t *) word(self, args[0], 8);
    if (p == NULL) return NULL;
    unsigned long long value = PyLong_AsUnsignedLongLongMask(args[1]);
    if (value == (unsigned long long) -1 && PyErr_Occurred()) return NULL;
    __atomic_store_n(p, (uint64_t) value, __ATOMIC_RELEASE);
    Py_RETURN_NONE;
}

static PyObject *exchange_u32(Region *self, PyObject *const *args, Py_ssize_t nargs) {
    if (!check_args(nargs, 2, "exchange_u32")) return NULL;
    uint32_t *p = (uint32_t *) word(self, args[0], 4);
    if (p == NULL) return NULL;
    unsigned long value = PyLong_AsUnsignedLongMask(args[1]);
    if (value == (unsigned long) -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromUnsignedLong(__atomic_exchange_n(p, (uint32_t) value, __ATOMIC_SEQ_CST));
}

static PyObject *fence(Region *self, PyObject *const *args, Py_ssize_t nargs) {
    if (!check_args(nargs, 0, "fence")) return NULL;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    Py_RETURN_NONE;
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

/* wait_u32(offset, spin_ns, yield_ns) -> the word: spins (acquire loads) for spin_ns, then polls it between
 * sched_yield calls for yield_ns, without the GIL, until the word is non-zero; returns 0 when it stayed zero. */
static PyObject *wait_u32(Region *self, PyObject *const *args, Py_ssize_t nargs) {
    if (!check_args(nargs, 3, "wait_u32")) return NULL;
    uint32_t *p = (uint32_t *) word(self, args[0], 4);
    if (p == NULL) return NULL;
    long long spin_ns = PyLong_AsLongLong(args[1]);
    long long yield_ns = PyLong_AsLongLong(args[2]);
    if (PyErr_Occurred()) return NULL;
    uint32_t value = __atomic_load_n(p, __ATOMIC_ACQUIRE);
    if (value != 0 || (spin_ns <= 0 && yield_ns <= 0)) {
        return PyLong_FromUnsignedLong(value);
    }
    Py_BEGIN_ALLOW_THREADS
    uint64_t start = now_ns();
    uint64_t spin_end = start + (uint64_t) (spin_ns > 0 ? spin_ns : 0);
    uint64_t yield_end = spin_end + (uint64_t) (yield_ns > 0 ? yield_ns : 0);
    int yielding = spin_ns <= 0;
    for (unsigned int i = 1;; i++) {
        value = __atomic_load_n(p, __ATOMIC_ACQUIRE);
        if (value != 0) break;
        if (yielding) {
            /* gives the CPU to a runnable thread, e.g. this process's subscriber woken by the last message */
            sched_yield();
            if ((i & 7) == 0 && now_ns() >= yield_end) break;
            continue;
        }
        if ((i & 63) == 0) {
            uint64_t now = now_ns();
            if (now >= yield_end) break;
            yielding = now >= spin_end;
        }
        cpu_relax();
    }
    Py_END_ALLOW_THREADS
    return PyLong_FromUnsignedLong(value);
}

static PyObject *release(Region *self, PyObject *const *args, Py_ssize_t nargs) {
    if (!check_args(nargs, 0, "release")) return NULL;
    if (self->held) {
        PyBuffer_Release(&self->view);
        self->held = 0;
    }
    Py_RETURN_NONE;
}

static PyMethodDef region_methods[] = {
    {"load_u32", (PyCFunction) (void (*)(void)) load_u32, METH_FASTCALL, "load_u32(offset): acquire load"},
    {"load_u64", (PyCFunction) (void (*)(void)) load_u64, METH_FASTCALL, "load_u64(offset): acquire load"},
    {"store_u32", (PyCFunction) (void (*)(void)) store_u32, METH_FASTCALL, "store_u32(offset, value): release store"},
    {"store_u64", (PyCFunction) (void (*)(void)) store_u64, METH_FASTCALL, "store_u64(offset, value): release store"},
    {"exchange_u32", (PyCFunction) (void (*)(void)) exchange_u32, METH_FASTCALL,
     "exchange_u32(offset, value) -> old value (sequentially consistent)"},
    {"fence", (PyCFunction) (void (*)(void)) fence, METH_FASTCALL, "fence(): full fence (StoreLoad)"},
    {"wait_u32", (PyCFunction) (void (*)(void)) wait_u32, METH_FASTCALL,
     "wait_u32(offset, spin_ns, yield_ns) -> word: spin then yield without the GIL until non-zero (0 = timed out)"},
    {"release", (PyCFunction) (void (*)(void)) release, METH_FASTCALL,
     "release(): let go of the buffer (its mmap may then be closed); idempotent"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject RegionType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mycelium._shm_atomics.Region",
    .tp_basicsize = sizeof(Region),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Region(buffer): ordered word access to a writable buffer (a shared-memory segment's mmap)",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc) region_init,
    .tp_dealloc = (destructor) region_dealloc,
    .tp_methods = region_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "mycelium._shm_atomics",
    "Acquire/release word access and fences on a shared-memory segment (docs/python-sdk.md).", -1, NULL,
};

PyMODINIT_FUNC PyInit__shm_atomics(void) {
    if (PyType_Ready(&RegionType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    Py_INCREF(&RegionType);
    if (PyModule_AddObject(m, "Region", (PyObject *) &RegionType) < 0) {
        Py_DECREF(&RegionType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
