/* Batched delivery: a service dispatcher hands a whole arena of queued messages to Python under one GIL
 * acquisition. Arena record layout, native byte order, each record starting 8-byte aligned:
 *
 *   0               8        12       16
 *   +---------------+--------+--------+----------------------+-------+
 *   | subscription  | type   | length | payload (length B)   | pad   |
 *   | id (int64)    | (int32)| (int32)|                      | to 8  |
 *   +---------------+--------+--------+----------------------+-------+
 *
 * The callback table is a dict {subscription id: (decode or None, callback)}; a missing id means the
 * subscription was closed after the message was queued, and the message is skipped. */
#include <string.h>

#include "mycelium_python.h"
#include "io_mycelium_python_impl_NativeBridge.h"

#define RECORD_HEADER 16

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
    JNIEnv *env, jclass cls, jlong table, jobject arena, jint length, jint service_id)
{
    (void)cls;
    if (!myc_require_running(env)) {
        return 0;
    }
    const char *base = (*env)->GetDirectBufferAddress(env, arena);
    jlong capacity = (*env)->GetDirectBufferCapacity(env, arena);
    if (base == NULL || length < 0 || length > capacity) {
        myc_throw_java(env, myc_refs.illegal_argument, "deliverBatch: arena must be a direct buffer holding "
                       "%d bytes but has capacity %lld", (int)length, (long long)capacity);
        return 0;
    }
    PyObject *callbacks = (PyObject *)(intptr_t)table;
    int errors = 0;
    PyGILState_STATE gil = myc_gil_acquire();
    Py_INCREF(callbacks); /* the service may be stopped, and its table released, while a callback runs */
    for (jint offset = 0; offset + RECORD_HEADER <= length;) {
        int64_t subscription;
        int32_t type_id, size;
        memcpy(&subscription, base + offset, 8);
        memcpy(&type_id, base + offset + 8, 4);
        memcpy(&size, base + offset + 12, 4);
        (void)type_id;
        PyObject *key = PyLong_FromLongLong(subscription);
        PyObject *entry = key ? PyDict_GetItemWithError(callbacks, key) : NULL; /* borrowed */
        Py_XDECREF(key);
        if (entry != NULL && PyTuple_Check(entry) && PyTuple_GET_SIZE(entry) == 2) {
            Py_INCREF(entry); /* the callback may close its own subscription and drop the table's reference */
            if (deliver_one(entry, base + offset + RECORD_HEADER, size) != 0) {
                errors++;
                myc_report_python_error(env, service_id);
            }
            Py_DECREF(entry);
        } else if (PyErr_Occurred()) {
            errors++;
            myc_report_python_error(env, service_id);
        }
        offset += RECORD_HEADER + ((size + 7) & ~7);
    }
    Py_DECREF(callbacks);
    myc_gil_release(gil);
    return errors;
}
