/*
 * Shared declarations of the Mycelium CPython bridge. Each .c file owns one concern:
 *   jni_entry.c     JNI_OnLoad, the JavaVM, and JNIEnv for Python-created threads
 *   java_refs.c     Java classes and method ids cached at load
 *   interpreter.c   interpreter lifecycle: dlopen libpython, PyConfig, init/finalise on python-main
 *   gil.c           persistent per-thread Python thread states and the GIL
 *   errors.c        the one crossing per direction: Python exception -> Java, Java exception -> Python
 *   convert.c       Java values <-> Python objects
 *   calls.c         Java -> Python entry points (call, exec, object handles)
 *   deliver.c       batched message delivery from a service dispatcher to Python callbacks
 *   module_native.c the built-in module _mycelium that mycelium_native calls
 */
#ifndef MYCELIUM_PYTHON_H
#define MYCELIUM_PYTHON_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <jni.h>

#define MYC_EXPORT __attribute__((visibility("default")))

/* Payloads up to this size reach Python as bytes (copied); larger ones as a memoryview released after the call. */
#define MYC_COPY_LIMIT 8192
/* Python payloads up to this size are published through the thread's Java scratch buffer (BusUpcalls.SCRATCH_BYTES). */
#define MYC_SCRATCH_LIMIT (64 * 1024)

/* ---- jni_entry.c ---- */
/* The JNIEnv of the current thread; a thread created by Python is attached to the JVM as a daemon on first use and
 * detached when it ends. Returns NULL with a Python error set when attaching fails. Call with the GIL held. */
JNIEnv *myc_env(void);

/* ---- java_refs.c ---- */
typedef struct {
    jclass python_service_exception;  /* io.mycelium.python.PythonServiceException */
    jmethodID python_service_exception_init;
    jclass illegal_state;
    jclass illegal_argument;
    jmethodID throwable_to_string;
    jclass class_class;
    jmethodID class_get_name;
    jclass string;
    jclass boolean;
    jmethodID boolean_value_of;
    jmethodID boolean_value;
    jclass integer;
    jmethodID integer_int_value;
    jclass long_;
    jmethodID long_value_of;
    jmethodID long_value;
    jclass double_;
    jmethodID double_value_of;
    jmethodID double_value;
    jclass byte_array;
    jclass object;
    jclass object_array;
    jclass upcalls;                   /* io.mycelium.python.impl.jni.PythonUpcalls */
    jmethodID up_publish;
    jmethodID up_publish_scratch;
    jmethodID up_scratch_buffer;
    jmethodID up_subscribe;
    jmethodID up_unsubscribe;
    jmethodID up_callback_table;
    jmethodID up_log;
    jmethodID up_report_error;
    jmethodID up_schema_digests;
} MycRefs;

extern MycRefs myc_refs;

/* Caches every class and method id; returns 0, or -1 with a Java exception pending. */
int myc_refs_load(JNIEnv *env);
void myc_refs_unload(JNIEnv *env);

/* ---- interpreter.c ---- */
/* Whether the interpreter is initialised and not finalised. */
int myc_running(void);
/* The Java upcall target (a global ref) while running, else NULL. */
jobject myc_upcalls(void);
/* Throws IllegalStateException and returns 0 when the interpreter is not running; returns 1 when it is. */
int myc_require_running(JNIEnv *env);

/* ---- gil.c ---- */
/* Takes the GIL on the current thread, first giving it a persistent thread state if it has none (created once,
 * kept until myc_thread_detach: a per-call temporary thread state costs ~10 us, see python-embedding.md §3). */
PyGILState_STATE myc_gil_acquire(void);
void myc_gil_release(PyGILState_STATE state);
/* The dispatcher's pair: takes / drops the GIL with the thread's persistent state directly (PyEval_RestoreThread /
 * PyEval_SaveThread), skipping the gilstate bookkeeping. Only on a thread that does not hold the GIL already. */
void myc_gil_enter(void);
void myc_gil_leave(void);
/* Drops the current thread's persistent thread state (not the python-main one). Call without the GIL. */
void myc_thread_detach(PyThreadState *main_state);

/* ---- deliver.c ---- */
/* Frees what this thread kept for reuse between deliveries (its last payload object, its subscription key). GIL
 * held; called when the thread drops its thread state. */
void myc_deliver_cache_clear(void);

/* ---- errors.c ---- */
/* Python -> Java. GIL held, a Python error set: clears it and leaves a pending PythonServiceException. */
void myc_throw_python_error(JNIEnv *env);
/* Python -> Java log. GIL held, a Python error set: clears it and reports it to PythonUpcalls.reportError
 * (with the GIL released during the report). */
void myc_report_python_error(JNIEnv *env, jint service_id);
/* Java -> Python. GIL held, a Java exception pending: clears it, sets mycelium_native.JavaError (JavaArgumentError,
 * also a ValueError, for IllegalArgumentException) with the Java class and toString(). Always returns -1. */
int myc_raise_java_error(JNIEnv *env);
/* Throws a new Java exception of class cls with a printf-style message. */
void myc_throw_java(JNIEnv *env, jclass cls, const char *format, ...) __attribute__((format(printf, 3, 4)));

/* ---- convert.c ---- */
/* A new reference, or NULL with a Python error set. */
PyObject *myc_to_python(JNIEnv *env, jobject value);
/* Object[] -> list, a new reference, or NULL with a Python error set. */
PyObject *myc_array_to_python(JNIEnv *env, jobjectArray array);
/* Stores a local ref (NULL for None) in *out; returns 0, or -1 with a Python error set. */
int myc_to_java(JNIEnv *env, PyObject *value, jobject *out);
/* str -> java.lang.String local ref, or NULL with a Python error set. */
jstring myc_java_string(JNIEnv *env, PyObject *str);
/* java.lang.String -> str, or NULL with a Python error set. */
PyObject *myc_python_string(JNIEnv *env, jstring str);
/* The name of value's Java class as str ("?" when getName() fails), or NULL with a Python error set. */
PyObject *myc_java_class_name(JNIEnv *env, jobject value);

/* ---- module_native.c ---- */
PyObject *myc_init_module(void);

#endif
