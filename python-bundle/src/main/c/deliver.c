/* Batched delivery: a service dispatcher hands a run of queued messages, in place in its ring, to Python under one
 * GIL acquisition. Record layout (MpscDispatchQueue.java), native byte order, each record starting 8-byte aligned:
 *
 *   0        4        8                16
 *   +--------+--------+----------------+----------------------+-----------+
 *   | length | type   | subscription   | payload              | pad to 8  |
 *   | int32  | int32  | id (int64)     | (length - 16 bytes)  |           |
 *   +--------+--------+----------------+----------------------+-----------+
 *
 * length counts header and payload; type -1 marks padding (the dispatcher never hands it over; skipped if it did).
 * The callback table is a dict {subscription id: (decode or None, callback)}; a missing id means the
 * subscription was closed after the message was queued, and the message is skipped. */
#include <string.h>

#include "mycelium_python.h"
#include "io_mycelium_python_impl_NativeBridge.h"

#define RECORD_HEADER 16
#define PADDING_TYPE (-1)

/* Calls callback(decode(payload)) for one record; returns 0, or -1 with a Python error set. */
static int deliver_one(PyObject *entry, const char *payload, int32_t length)
{
    int large = length > MYC_COPY_LIMIT;
    PyObject *view = large ? PyMemoryView_FromMemory((char *)payload, length, PyBUF_READ)
                           : PyBytes_FromStringAndSize(payload, length);
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
        PyObject *released = PyObject_CallMethod(view, "release", NULL);
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

JNIEXPORT jint JNICALL Java_io_mycelium_python_impl_NativeBridge_deliverBatch(
    JNIEnv *env, jclass cls, jlong table, jobject ring, jint offset, jint length, jint service_id)
{
    (void)cls;
    if (!myc_require_running(env)) {
        return 0;
    }
    const char *ring_base = (*env)->GetDirectBufferAddress(env, ring);
    jlong capacity = (*env)->GetDirectBufferCapacity(env, ring);
    if (ring_base == NULL || offset < 0 || length < 0 || (jlong)offset + length > capacity) {
        myc_throw_java(env, myc_refs.illegal_argument, "deliverBatch: ring must be a direct buffer holding "
                       "%d bytes at %d but has capacity %lld", (int)length, (int)offset, (long long)capacity);
        return 0;
    }
    const char *base = ring_base + offset;
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
        if (type_id == PADDING_TYPE || record_length < RECORD_HEADER) {
            at += (record_length + 7) & ~7;
            continue;
        }
        memcpy(&subscription, base + at + 8, 8);
        int32_t size = record_length - RECORD_HEADER;
        PyObject *key = PyLong_FromLongLong(subscription);
        PyObject *entry = key ? PyDict_GetItemWithError(callbacks, key) : NULL; /* borrowed */
        Py_XDECREF(key);
        if (entry != NULL && PyTuple_Check(entry) && PyTuple_GET_SIZE(entry) == 2) {
            Py_INCREF(entry); /* the callback may close its own subscription and drop the table's reference */
            if (deliver_one(entry, base + at + RECORD_HEADER, size) != 0) {
                errors++;
                myc_report_python_error(env, service_id);
            }
            Py_DECREF(entry);
        } else if (PyErr_Occurred()) {
            errors++;
            myc_report_python_error(env, service_id);
        }
        at += (record_length + 7) & ~7;
    }
    Py_DECREF(callbacks);
    myc_gil_leave();
    return errors;
}
