/* The built-in module _mycelium (registered with PyImport_AppendInittab): the calls mycelium_native makes into
 * the Java host. Every call into Java that may block (bus, logging) runs with the GIL released, so a Java handler
 * that waits for another Python-calling thread cannot deadlock (python-embedding.md §3). */
#include <string.h>

#include "mycelium_python.h"

/* The JNIEnv and upcall target for this thread, or NULL with a Python error set. */
static JNIEnv *upcall_env(jobject *upcalls)
{
    *upcalls = myc_upcalls();
    if (*upcalls == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "the Mycelium Python host is shut down");
        return NULL;
    }
    return myc_env();
}

static int check_args(const char *name, Py_ssize_t nargs, Py_ssize_t expected)
{
    if (nargs != expected) {
        PyErr_Format(PyExc_TypeError, "_mycelium.%s() takes %zd arguments but %zd were given", name, expected, nargs);
        return -1;
    }
    return 0;
}

/* An int argument in Java int range, or -1 with an error set (check PyErr_Occurred). */
static int int_arg(PyObject *value, const char *what, int *out)
{
    long v = PyLong_AsLong(value);
    if (v == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (v < INT32_MIN || v > INT32_MAX) {
        PyErr_Format(PyExc_OverflowError, "%s %ld does not fit a 32-bit int", what, v);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* This thread's Java scratch buffer (kept alive by a ThreadLocal of the upcall target for the thread's life, so the
 * address stays valid as long as this OS thread runs): publishing copies small payloads there instead of allocating
 * a ByteBuffer per call. */
static _Thread_local char *t_scratch;
static _Thread_local jlong t_scratch_capacity;
/* Set while a publish from this thread is in the bus: a nested publish (a Java handler calling Python that publishes
 * again) must not overwrite the payload other subscribers are still reading, so it takes the wrapping path. */
static _Thread_local int t_scratch_busy;

/* Caches this thread's scratch buffer; returns 0, or -1 with a Java exception pending. */
static int ensure_scratch(JNIEnv *env, jobject upcalls)
{
    if (t_scratch != NULL) {
        return 0;
    }
    jobject buffer = (*env)->CallObjectMethod(env, upcalls, myc_refs.up_scratch_buffer);
    if (buffer == NULL) {
        return -1;
    }
    t_scratch = (*env)->GetDirectBufferAddress(env, buffer);
    t_scratch_capacity = (*env)->GetDirectBufferCapacity(env, buffer);
    (*env)->DeleteLocalRef(env, buffer);
    if (t_scratch == NULL) {
        myc_throw_java(env, myc_refs.illegal_state, "scratchBuffer() must return a direct buffer");
        return -1;
    }
    return 0;
}

/* MessageBus.publishRaw(type_id, length bytes at data) with the GIL released. The caller keeps the object that owns
 * data alive and unchanged during the call (bytes, or a buffer it holds a view of). */
static PyObject *publish_bytes(int type_id, const char *data, Py_ssize_t length)
{
    jobject upcalls;
    JNIEnv *env = upcall_env(&upcalls);
    if (env == NULL) {
        return NULL;
    }
    if (length <= MYC_SCRATCH_LIMIT && !t_scratch_busy && ensure_scratch(env, upcalls) == 0
        && length <= t_scratch_capacity) {
        memcpy(t_scratch, data, length);
        t_scratch_busy = 1;
        Py_BEGIN_ALLOW_THREADS
        (*env)->CallVoidMethod(env, upcalls, myc_refs.up_publish_scratch, (jint)type_id, (jint)length);
        Py_END_ALLOW_THREADS
        t_scratch_busy = 0;
    } else if (!(*env)->ExceptionCheck(env)) {
        /* large or nested: a zero-copy wrapper, read during the call only (RawMessageHandler contract) */
        jobject buffer = (*env)->NewDirectByteBuffer(env, (void *)data, length);
        if (buffer != NULL) {
            Py_BEGIN_ALLOW_THREADS
            (*env)->CallVoidMethod(env, upcalls, myc_refs.up_publish, (jint)type_id, buffer);
            Py_END_ALLOW_THREADS
            (*env)->DeleteLocalRef(env, buffer);
        }
    }
    if ((*env)->ExceptionCheck(env)) {
        myc_raise_java_error(env);
        return NULL;
    }
    Py_RETURN_NONE;
}

/* publish_bytes of any bytes-like object. Exact bytes (what to_bytes() returns) are read in place: immutable, and
 * the caller's reference keeps them alive; anything else through the buffer protocol, its view held until the call
 * returned (the wrapping path reads it then). */
static PyObject *publish_payload(int type_id, PyObject *payload)
{
    if (PyBytes_CheckExact(payload)) {
        return publish_bytes(type_id, PyBytes_AS_STRING(payload), PyBytes_GET_SIZE(payload));
    }
    Py_buffer view;
    if (PyObject_GetBuffer(payload, &view, PyBUF_SIMPLE) != 0) {
        return NULL;
    }
    PyObject *result = publish_bytes(type_id, view.buf, view.len);
    PyBuffer_Release(&view);
    return result;
}

/* publish(type_id: int, payload: bytes-like) -> None. */
static PyObject *mod_publish(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    int type_id;
    if (check_args("publish", nargs, 2) || int_arg(args[0], "type_id", &type_id)) {
        return NULL;
    }
    return publish_payload(type_id, args[1]);
}

/* Interned attribute names of publish_message, created with the module. */
static PyObject *g_type_id_name;
static PyObject *g_to_bytes_name;

/* What publish_message learnt about the message class this thread published last: its TYPE_ID and its to_bytes
 * function, so the next message of that class costs no attribute lookup (the two generic lookups and the method
 * call from C were a third of the gap between runtime.publish and the bare bridge). Valid while the class has the
 * version tag it had then: CPython gives a class a new tag whenever it or a base changes and never reuses one, so
 * an equal tag means the same, unchanged class, whose dicts still hold the function (borrowed). Only classes whose
 * instances have no __dict__ and the default attribute lookup qualify (generated classes use __slots__): an
 * instance cannot shadow the class's attributes then. GIL held whenever it is touched. */
typedef struct {
    unsigned int version; /* 0: nothing learnt */
    int type_id;
    PyObject *to_bytes;
} MessageClass;

static _Thread_local MessageClass t_message_class;

/* The tag of tp when it is valid, else 0. */
static unsigned int version_tag(PyTypeObject *tp)
{
#ifdef Py_TPFLAGS_VALID_VERSION_TAG
    if (!PyType_HasFeature(tp, Py_TPFLAGS_VALID_VERSION_TAG)) {
        return 0;
    }
#endif
    return tp->tp_version_tag;
}

/* Remembers msg's class after a successful generic lookup gave type_id, when the class qualifies. */
static void learn_message_class(PyObject *msg, int type_id)
{
    PyTypeObject *tp = Py_TYPE(msg);
    if (tp->tp_dictoffset != 0 || tp->tp_getattro != PyObject_GenericGetAttr) {
        return;
    }
    PyObject *declared = _PyType_Lookup(tp, g_type_id_name); /* borrowed; assigns the class a tag */
    PyObject *to_bytes = _PyType_Lookup(tp, g_to_bytes_name);
    unsigned int version = version_tag(tp);
    if (version == 0 || declared == NULL || !PyLong_CheckExact(declared) || to_bytes == NULL
        || !PyFunction_Check(to_bytes)) {
        return;
    }
    t_message_class.version = version;
    t_message_class.type_id = type_id;
    t_message_class.to_bytes = to_bytes;
}

/* publish_message(msg) -> None: publish(msg.TYPE_ID, msg.to_bytes()) in one call, what Runtime.publish does per
 * message; as a C function it costs no Python frame (Runtime binds it as the open runtime's publish). */
static PyObject *mod_publish_message(PyObject *self, PyObject *msg)
{
    (void)self;
    int type_id;
    PyObject *payload;
    const unsigned int version = version_tag(Py_TYPE(msg));
    if (version != 0 && version == t_message_class.version) {
        type_id = t_message_class.type_id;
        PyObject *to_bytes = Py_NewRef(t_message_class.to_bytes); /* the call may change the class */
        payload = PyObject_Vectorcall(to_bytes, &msg, 1, NULL);
        Py_DECREF(to_bytes);
    } else {
        PyObject *type = PyObject_GetAttr(msg, g_type_id_name);
        if (type == NULL) {
            if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
                PyErr_Clear();
                PyErr_Format(PyExc_TypeError, "publish() takes a generated message (with TYPE_ID and to_bytes()), "
                             "not %s", Py_TYPE(msg)->tp_name);
            }
            return NULL;
        }
        int failed = int_arg(type, "TYPE_ID", &type_id);
        Py_DECREF(type);
        if (failed) {
            return NULL;
        }
        learn_message_class(msg, type_id);
        payload = PyObject_CallMethodNoArgs(msg, g_to_bytes_name);
    }
    if (payload == NULL) {
        return NULL;
    }
    PyObject *result = publish_payload(type_id, payload);
    Py_DECREF(payload);
    return result;
}

/* subscribe(service_id: int, type_id: int, inline: bool) -> int: a raw bus subscription feeding the service's
 * dispatcher, or calling the callback on the publisher's thread when inline. */
static PyObject *mod_subscribe(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    int service_id, type_id, inline_delivery;
    jobject upcalls;
    if (check_args("subscribe", nargs, 3) || int_arg(args[0], "service_id", &service_id)
        || int_arg(args[1], "type_id", &type_id) || (inline_delivery = PyObject_IsTrue(args[2])) < 0) {
        return NULL;
    }
    JNIEnv *env = upcall_env(&upcalls);
    if (env == NULL) {
        return NULL;
    }
    jlong id;
    Py_BEGIN_ALLOW_THREADS
    id = (*env)->CallLongMethod(env, upcalls, myc_refs.up_subscribe, (jint)service_id, (jint)type_id,
                                (jboolean)(inline_delivery ? JNI_TRUE : JNI_FALSE));
    Py_END_ALLOW_THREADS
    if ((*env)->ExceptionCheck(env)) {
        myc_raise_java_error(env);
        return NULL;
    }
    return PyLong_FromLongLong(id);
}

/* unsubscribe(service_id: int, subscription_id: int) -> None. Idempotent. */
static PyObject *mod_unsubscribe(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    int service_id;
    jobject upcalls;
    if (check_args("unsubscribe", nargs, 2) || int_arg(args[0], "service_id", &service_id)) {
        return NULL;
    }
    long long id = PyLong_AsLongLong(args[1]);
    if (id == -1 && PyErr_Occurred()) {
        return NULL;
    }
    JNIEnv *env = upcall_env(&upcalls);
    if (env == NULL) {
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    (*env)->CallVoidMethod(env, upcalls, myc_refs.up_unsubscribe, (jint)service_id, (jlong)id);
    Py_END_ALLOW_THREADS
    if ((*env)->ExceptionCheck(env)) {
        myc_raise_java_error(env);
        return NULL;
    }
    Py_RETURN_NONE;
}

/* callback_table(service_id: int) -> dict: the service's {subscription id: (decode, callback)} table. */
static PyObject *mod_callback_table(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    int service_id;
    jobject upcalls;
    if (check_args("callback_table", nargs, 1) || int_arg(args[0], "service_id", &service_id)) {
        return NULL;
    }
    JNIEnv *env = upcall_env(&upcalls);
    if (env == NULL) {
        return NULL;
    }
    jlong table = (*env)->CallLongMethod(env, upcalls, myc_refs.up_callback_table, (jint)service_id);
    if ((*env)->ExceptionCheck(env)) {
        myc_raise_java_error(env);
        return NULL;
    }
    if (table == 0) {
        PyErr_Format(PyExc_RuntimeError, "Python service %d has no callback table (it is stopped)", service_id);
        return NULL;
    }
    return Py_NewRef((PyObject *)(intptr_t)table);
}

/* Calls a void upcall taking (int, String...) with the GIL released; helper for log and report_error. */
static PyObject *string_upcall(jmethodID method, int number, PyObject *const *strings, Py_ssize_t count)
{
    jobject upcalls;
    JNIEnv *env = upcall_env(&upcalls);
    if (env == NULL) {
        return NULL;
    }
    jstring j[3] = {NULL, NULL, NULL};
    for (Py_ssize_t i = 0; i < count; i++) {
        if (!PyUnicode_Check(strings[i])) {
            PyErr_Format(PyExc_TypeError, "expected str but got %s", Py_TYPE(strings[i])->tp_name);
            goto done;
        }
        j[i] = myc_java_string(env, strings[i]);
        if (j[i] == NULL) {
            goto done;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    if (count == 2) {
        (*env)->CallVoidMethod(env, upcalls, method, (jint)number, j[0], j[1]);
    } else {
        (*env)->CallVoidMethod(env, upcalls, method, (jint)number, j[0], j[1], j[2]);
    }
    Py_END_ALLOW_THREADS
    if ((*env)->ExceptionCheck(env)) {
        myc_raise_java_error(env);
    }
done:
    for (int i = 0; i < 3; i++) {
        if (j[i] != NULL) {
            (*env)->DeleteLocalRef(env, j[i]);
        }
    }
    if (PyErr_Occurred()) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* log(level: int, logger: str, message: str) -> None: level 10/20/30/40 as in logging. */
static PyObject *mod_log(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    int level;
    if (check_args("log", nargs, 3) || int_arg(args[0], "level", &level)) {
        return NULL;
    }
    return string_upcall(myc_refs.up_log, level, args + 1, 2);
}

/* report_error(service_id: int, type: str, message: str, traceback: str) -> None: logged and counted. */
static PyObject *mod_report_error(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    int service_id;
    if (check_args("report_error", nargs, 4) || int_arg(args[0], "service_id", &service_id)) {
        return NULL;
    }
    return string_upcall(myc_refs.up_report_error, service_id, args + 1, 3);
}

/* schema_digests() -> list[str]: hex digests of the node's Schema services. */
static PyObject *mod_schema_digests(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    jobject upcalls;
    JNIEnv *env = upcall_env(&upcalls);
    if (env == NULL) {
        return NULL;
    }
    jobjectArray digests;
    Py_BEGIN_ALLOW_THREADS
    digests = (*env)->CallObjectMethod(env, upcalls, myc_refs.up_schema_digests);
    Py_END_ALLOW_THREADS
    if ((*env)->ExceptionCheck(env)) {
        myc_raise_java_error(env);
        return NULL;
    }
    PyObject *result = myc_to_python(env, digests);
    if (digests != NULL) {
        (*env)->DeleteLocalRef(env, digests);
    }
    return result;
}

/* async_exc(thread_id: int, exception: type | None) -> int: PyThreadState_SetAsyncExc; returns threads hit. */
static PyObject *mod_async_exc(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (check_args("async_exc", nargs, 2)) {
        return NULL;
    }
    unsigned long thread_id = PyLong_AsUnsignedLong(args[0]);
    if (thread_id == (unsigned long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *exception = args[1] == Py_None ? NULL : args[1];
    if (exception != NULL && !(PyType_Check(exception) && PyType_IsSubtype((PyTypeObject *)exception,
                                                                           (PyTypeObject *)PyExc_BaseException))) {
        PyErr_SetString(PyExc_TypeError, "async_exc: exception must be an exception class or None");
        return NULL;
    }
    return PyLong_FromLong(PyThreadState_SetAsyncExc(thread_id, exception));
}

static PyMethodDef methods[] = {
    {"publish", (PyCFunction)(void (*)(void))mod_publish, METH_FASTCALL, "publish(type_id, payload)"},
    {"publish_message", mod_publish_message, METH_O, "publish_message(msg): publish(msg.TYPE_ID, msg.to_bytes())"},
    {"subscribe", (PyCFunction)(void (*)(void))mod_subscribe, METH_FASTCALL, "subscribe(service_id, type_id, inline)"},
    {"unsubscribe", (PyCFunction)(void (*)(void))mod_unsubscribe, METH_FASTCALL,
     "unsubscribe(service_id, subscription_id)"},
    {"callback_table", (PyCFunction)(void (*)(void))mod_callback_table, METH_FASTCALL,
     "callback_table(service_id)"},
    {"log", (PyCFunction)(void (*)(void))mod_log, METH_FASTCALL, "log(level, logger, message)"},
    {"report_error", (PyCFunction)(void (*)(void))mod_report_error, METH_FASTCALL,
     "report_error(service_id, type, message, traceback)"},
    {"schema_digests", mod_schema_digests, METH_NOARGS, "schema_digests()"},
    {"async_exc", (PyCFunction)(void (*)(void))mod_async_exc, METH_FASTCALL, "async_exc(thread_id, exception)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_mycelium", "Calls from mycelium_native into the Mycelium Java host.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyObject *myc_init_module(void)
{
    if (g_type_id_name == NULL && ((g_type_id_name = PyUnicode_InternFromString("TYPE_ID")) == NULL
                                   || (g_to_bytes_name = PyUnicode_InternFromString("to_bytes")) == NULL)) {
        return NULL;
    }
    return PyModule_Create(&module);
}
