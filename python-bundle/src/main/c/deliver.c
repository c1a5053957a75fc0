/* Batched delivery: a service dispatcher hands a run of queued messages, in place in its ring, to Python under one
 * GIL acquisition. Record layout (MpscDispatchQueue.java), native byte order, each record starting on its own 64-byte
 * cache line (RECORD_ALIGNMENT, MpscDispatchQueue.ALIGNMENT):
 *
 *   0        4        8                16
 *   +--------+--------+----------------+----------------------+-----------+
 *   | length | type   | subscription   | payload              | pad to 64 |
 *   | int32  | int32  | id (int64)     | (length - 16 bytes)  |           |
 *   +--------+--------+----------------+----------------------+-----------+
 *
 * length counts header and payload; type -1 marks padding (the dispatcher never hands it over; skipped if it did).
 * The callback table is a dict {subscription id: (decode or None, callback)}; a missing id means the
 * subscription was closed after the message was queued, and the message is skipped. */
#include <string.h>

#include "mycelium_python.h"
#include "io_mycelium_python_impl_jni_NativeBridge.h"

#define RECORD_HEADER 16
#define RECORD_ALIGNMENT 64
#define PADDING_TYPE (-1)

/* What a dispatcher thread (deliverBatch) reuses from one message to the next, so a steady stream allocates no
 * payload object and no key per message (only what decode and the callback make). GIL held whenever it is touched;
 * cleared by myc_deliver_cache_clear when the thread detaches:
 *  - payload: the last bytes object handed to a callback. Once the callback returned and nothing else refers to it
 *    (reference count 1: only this cache), nobody can observe it any more, so the next payload of the same size is
 *    copied into it instead of allocating a new object. A callback (or decode) that kept it raised the count, and
 *    the next message gets a fresh object: what a callback keeps is never overwritten.
 *  - key: the subscription id as a Python int, for the callback-table lookup (ids above 256 are not cached by
 *    CPython's small-int table). */
typedef struct {
    PyObject *payload;
    PyObject *key;
    int64_t key_id;
} DeliverCache;

static _Thread_local DeliverCache t_cache;
static PyObject *g_release_name; /* "release", interned once (GIL held) */

void myc_deliver_cache_clear(void)
{
    Py_CLEAR(t_cache.payload);
    Py_CLEAR(t_cache.key);
}

/* The payload as bytes, a new reference: the cached object refilled when no one else holds it, else a new one. */
static PyObject *payload_bytes(const char *payload, int32_t length)
{
    PyObject *cached = t_cache.payload;
    if (cached != NULL && Py_REFCNT(cached) == 1 && PyBytes_GET_SIZE(cached) == length) {
        memcpy(PyBytes_AS_STRING(cached), payload, (size_t)length);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        ((PyBytesObject *)cached)->ob_shash = -1; /* the previous content's hash, if one was taken */
#pragma GCC diagnostic pop
        return Py_NewRef(cached);
    }
    PyObject *fresh = PyBytes_FromStringAndSize(payload, length);
    if (fresh != NULL && length > 1) { /* 0 and 1 byte objects are CPython's shared singletons: never refill them */
        Py_XSETREF(t_cache.payload, Py_NewRef(fresh));
    }
    return fresh;
}

/* The subscription id as a Python int, borrowed from the cache (valid until the next call on this thread). */
static PyObject *subscription_key(int64_t subscription)
{
    if (t_cache.key == NULL || t_cache.key_id != subscription) {
        PyObject *key = PyLong_FromLongLong(subscription);
        if (key == NULL) {
            return NULL;
        }
        Py_XSETREF(t_cache.key, key);
        t_cache.key_id = subscription;
    }
    return t_cache.key;
}

/* Calls callback(decode(payload)) for one record; returns 0, or -1 with a Python error set. */
static int deliver_one(PyObject *entry, const char *payload, int32_t length, int reuse)
{
    int large = length > MYC_COPY_LIMIT;
    PyObject *view = large ? PyMemoryView_FromMemory((char *)payload, length, PyBUF_READ)
                           : reuse ? payload_bytes(payload, length) : PyBytes_FromStringAndSize(payload, length);
    if (view == NULL) {
        return -1;
    }
    PyObject *decode = PyTuple_GET_ITEM(entry, 0);
    PyObject *callback = PyTuple_GET_ITEM(entry, 1);
    PyObject *message = decode == Py_None ? Py_NewRef(view) : PyObject_CallOneArg(decode, view);
    PyObject *result = message ? PyObject_CallOneArg(callback, message) : NULL;
    int failed = result == NULL;
    Py_XDECREF(message);
    Py_XDECREF(result);
    if (large) {
        /* The arena is reused after the batch: a subscriber that kept the view must get ValueError, not read
         * recycled memory. Keep a callback error across the release call. */
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        if (g_release_name == NULL && (g_release_name = PyUnicode_InternFromString("release")) == NULL) {
            Py_XDECREF(type);
            Py_XDECREF(value);
            Py_XDECREF(tb);
            Py_DECREF(view);
            return -1;
        }
        PyObject *released = PyObject_CallMethodNoArgs(view, g_release_name);
        if (released == NULL) {
            /* BufferError: the callback kept an export of the view (np.frombuffer, a sub-view). Its memory is
             * reused after this batch, so report that instead of a callback error. */
            Py_XDECREF(type);
            Py_XDECREF(value);
            Py_XDECREF(tb);
            PyErr_Clear();
            PyErr_Format(PyExc_BufferError,
                         "the callback kept a buffer export of a %d-byte payload (for example np.frombuffer); "
                         "payloads above %d bytes are memoryviews valid only during the callback: copy what you "
                         "keep with bytes(payload)", (int)length, MYC_COPY_LIMIT);
            failed = 1;
        } else {
            Py_DECREF(released);
            PyErr_Restore(type, value, tb);
        }
    }
    Py_DECREF(view);
    return failed ? -1 : 0;
}

/* Looks up the subscription's (decode, callback) entry and delivers one payload to it. GIL held, callbacks referenced
 * by the caller. Returns 1 if the delivery failed (reported for the service), else 0. A closed subscription (no entry)
 * is skipped. */
static int deliver_record(JNIEnv *env, PyObject *callbacks, int64_t subscription, const char *payload, int32_t size,
                          jint service_id, int reuse)
{
    int failed = 0;
    PyObject *key = reuse ? Py_XNewRef(subscription_key(subscription)) : PyLong_FromLongLong(subscription);
    PyObject *entry = key ? PyDict_GetItemWithError(callbacks, key) : NULL; /* borrowed */
    Py_XDECREF(key);
    if (entry != NULL && PyTuple_Check(entry) && PyTuple_GET_SIZE(entry) == 2) {
        Py_INCREF(entry); /* the callback may close its own subscription and drop the table's reference */
        failed = deliver_one(entry, payload, size, reuse) != 0;
        Py_DECREF(entry);
    } else {
        failed = PyErr_Occurred() != NULL;
    }
    if (failed) {
        myc_report_python_error(env, service_id);
    }
    return failed;
}

/* The direct buffer's address if [offset, offset + length) lies inside it; else NULL with IllegalArgumentException. */
static const char *direct_region(JNIEnv *env, jobject buffer, jint offset, jint length, const char *what)
{
    const char *address = (*env)->GetDirectBufferAddress(env, buffer);
    jlong capacity = (*env)->GetDirectBufferCapacity(env, buffer);
    if (address == NULL || offset < 0 || length < 0 || (jlong)offset + length > capacity) {
        myc_throw_java(env, myc_refs.illegal_argument, "%s: the buffer must be direct and hold %d bytes at %d but "
                       "has capacity %lld", what, (int)length, (int)offset, (long long)capacity);
        return NULL;
    }
    return address + offset;
}

JNIEXPORT jlong JNICALL Java_io_mycelium_python_impl_jni_NativeBridge_directAddress(JNIEnv *env, jclass cls,
                                                                                  jobject buffer)
{
    (void)cls;
    const char *address = buffer == NULL ? NULL : (*env)->GetDirectBufferAddress(env, buffer);
    if (address == NULL) {
        myc_throw_java(env, myc_refs.illegal_argument, "directAddress: %s", buffer == NULL ? "the buffer is null"
                       : "the buffer is not direct");
        return 0;
    }
    return (jlong)(intptr_t)address;
}

/* The ring's address comes from directAddress once per dispatcher (two JNI calls, each with a type check, per batch
 * were ~a third of a one-message batch's bridge cost); the bounds are checked here with plain arithmetic. */
JNIEXPORT jint JNICALL Java_io_mycelium_python_impl_jni_NativeBridge_deliverBatch(
    JNIEnv *env, jclass cls, jlong table, jlong ring, jint capacity, jint offset, jint length, jint service_id)
{
    (void)cls;
    if (!myc_require_running(env)) {
        return 0;
    }
    if (ring == 0 || capacity < 0 || offset < 0 || length < 0 || (jlong)offset + length > capacity) {
        myc_throw_java(env, myc_refs.illegal_argument, "deliverBatch: %d bytes at %d do not lie in a ring of %d "
                       "bytes at 0x%llx", (int)length, (int)offset, (int)capacity, (unsigned long long)ring);
        return 0;
    }
    const char *base = (const char *)(intptr_t)ring + offset;
    PyObject *callbacks = (PyObject *)(intptr_t)table;
    int errors = 0;
    myc_gil_enter(); /* only a dispatcher thread calls this, never with the GIL held */
    Py_INCREF(callbacks); /* the service may be stopped, and its table released, while a callback runs */
    for (jint at = 0; at + 8 <= length;) {
        int32_t record_length, type_id;
        int64_t subscription;
        memcpy(&record_length, base + at, 4);
        memcpy(&type_id, base + at + 4, 4);
        if (record_length < 8 || record_length > length - at) {
            break; /* not a committed record: the dispatcher hands over whole records only */
        }
        if (type_id != PADDING_TYPE && record_length >= RECORD_HEADER) {
            memcpy(&subscription, base + at + 8, 8);
            errors += deliver_record(env, callbacks, subscription, base + at + RECORD_HEADER,
                                     record_length - RECORD_HEADER, service_id, 1);
        }
        at += (record_length + RECORD_ALIGNMENT - 1) & ~(RECORD_ALIGNMENT - 1);
    }
    Py_DECREF(callbacks);
    myc_gil_leave();
    return errors;
}

JNIEXPORT jint JNICALL Java_io_mycelium_python_impl_jni_NativeBridge_deliverInline(
    JNIEnv *env, jclass cls, jlong table, jlong subscription, jobject payload, jint offset, jint length,
    jint service_id)
{
    (void)cls;
    if (!myc_require_running(env)) {
        return 0;
    }
    const char *base = direct_region(env, payload, offset, length, "deliverInline");
    if (base == NULL) {
        return 0;
    }
    PyObject *callbacks = (PyObject *)(intptr_t)table;
    PyGILState_STATE gil = myc_gil_acquire(); /* re-entrant: a Python thread's nested publish may hold it */
    Py_INCREF(callbacks);
    /* No reuse here: any thread delivers inline, Python-created ones too, and those end without clearing a cache. */
    int errors = deliver_record(env, callbacks, subscription, base, length, service_id, 0);
    Py_DECREF(callbacks);
    myc_gil_release(gil);
    return errors;
}
