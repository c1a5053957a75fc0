/* The one crossing per direction: a Python exception becomes a Java PythonServiceException (type, message,
 * formatted traceback), a pending Java exception becomes mycelium_native.JavaError. Never PyErr_Print:
 * it would handle SystemExit by calling exit() and kill the JVM (python-embedding.md §4). */
#include <stdarg.h>
#include <stdio.h>

#include "mycelium_python.h"

void myc_throw_java(JNIEnv *env, jclass cls, const char *format, ...)
{
    char message[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    (*env)->ThrowNew(env, cls, message);
}

/* "module.QualName", or "QualName" for builtins. A new str, or NULL with an error set. */
static PyObject *type_name(PyObject *type)
{
    PyObject *qualname = PyObject_GetAttrString(type, "__qualname__");
    if (qualname == NULL) {
        return NULL;
    }
    PyObject *module = PyObject_GetAttrString(type, "__module__");
    if (module == NULL || !PyUnicode_Check(module) || PyUnicode_CompareWithASCIIString(module, "builtins") == 0) {
        PyErr_Clear();
        Py_XDECREF(module);
        return qualname;
    }
    PyObject *name = PyUnicode_FromFormat("%U.%U", module, qualname);
    Py_DECREF(module);
    Py_DECREF(qualname);
    return name;
}

/* traceback.format_exception(type, value, tb) joined into one str; a new str, or NULL with an error set. */
static PyObject *format_traceback(PyObject *type, PyObject *value, PyObject *tb)
{
    PyObject *traceback = PyImport_ImportModule("traceback");
    if (traceback == NULL) {
        return NULL;
    }
    PyObject *lines = PyObject_CallMethod(traceback, "format_exception", "OOO", type, value, tb ? tb : Py_None);
    Py_DECREF(traceback);
    if (lines == NULL) {
        return NULL;
    }
    PyObject *empty = PyUnicode_FromString("");
    PyObject *text = empty ? PyUnicode_Join(empty, lines) : NULL;
    Py_XDECREF(empty);
    Py_DECREF(lines);
    return text;
}

/* Fetches the current Python error as three Java strings (local refs). Returns 0, or -1 with a Java exception
 * (OutOfMemoryError) pending. Any error raised while formatting is replaced by a fallback text. */
static int fetch_error(JNIEnv *env, jstring *j_type, jstring *j_message, jstring *j_trace)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb != NULL && value != NULL) {
        PyException_SetTraceback(value, tb);
    }
    PyObject *name = type ? type_name(type) : NULL;
    if (name == NULL) {
        PyErr_Clear();
        name = PyUnicode_FromString("<unknown Python exception type>");
    }
    PyObject *message = value ? PyObject_Str(value) : NULL;
    if (message == NULL) {
        PyErr_Clear();
        message = PyUnicode_FromString("<exception message could not be formatted>");
    }
    PyObject *trace = type ? format_traceback(type, value, tb) : NULL;
    if (trace == NULL) {
        PyErr_Clear();
        trace = PyUnicode_FromFormat("%U: %U\n(traceback could not be formatted)\n", name, message);
    }
    *j_type = name ? myc_java_string(env, name) : NULL;
    *j_message = message ? myc_java_string(env, message) : NULL;
    *j_trace = trace ? myc_java_string(env, trace) : NULL;
    PyErr_Clear();
    Py_XDECREF(name);
    Py_XDECREF(message);
    Py_XDECREF(trace);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return (*env)->ExceptionCheck(env) ? -1 : 0;
}

static void delete_locals(JNIEnv *env, jobject a, jobject b, jobject c)
{
    if (a != NULL) (*env)->DeleteLocalRef(env, a);
    if (b != NULL) (*env)->DeleteLocalRef(env, b);
    if (c != NULL) (*env)->DeleteLocalRef(env, c);
}

void myc_throw_python_error(JNIEnv *env)
{
    jstring type = NULL, message = NULL, trace = NULL;
    if (fetch_error(env, &type, &message, &trace) == 0) {
        jobject exception = (*env)->NewObject(env, myc_refs.python_service_exception,
                                              myc_refs.python_service_exception_init, type, message, trace);
        if (exception != NULL) {
            (*env)->Throw(env, (jthrowable)exception);
            (*env)->DeleteLocalRef(env, exception);
        }
    }
    delete_locals(env, type, message, trace);
}

void myc_report_python_error(JNIEnv *env, jint service_id)
{
    jstring type = NULL, message = NULL, trace = NULL;
    jobject upcalls = myc_upcalls();
    if (fetch_error(env, &type, &message, &trace) == 0 && upcalls != NULL) {
        Py_BEGIN_ALLOW_THREADS /* logging may block on I/O */
        (*env)->CallVoidMethod(env, upcalls, myc_refs.up_report_error, service_id, type, message, trace);
        Py_END_ALLOW_THREADS
    }
    if ((*env)->ExceptionCheck(env)) {
        /* reporting must not fail delivery; the report itself is lost, so say so on stderr as a last resort */
        (*env)->ExceptionDescribe(env);
        (*env)->ExceptionClear(env);
    }
    delete_locals(env, type, message, trace);
}

/* mycelium_native.JavaError, or JavaArgumentError when argument is set (borrowed, cached for the interpreter's life);
 * RuntimeError/ValueError when the package cannot be imported. */
static PyObject *java_error_type(int argument)
{
    static PyObject *java_error;          /* owned from the first use until the process ends */
    static PyObject *java_argument_error;
    if (java_error == NULL) {
        PyObject *module = PyImport_ImportModule("mycelium_native._errors");
        PyObject *error = module ? PyObject_GetAttrString(module, "JavaError") : NULL;
        PyObject *argument_error = error ? PyObject_GetAttrString(module, "JavaArgumentError") : NULL;
        Py_XDECREF(module);
        if (argument_error == NULL) {
            PyErr_Clear();
            Py_XDECREF(error);
            return argument ? PyExc_ValueError : PyExc_RuntimeError;
        }
        java_error = error;
        java_argument_error = argument_error;
    }
    return argument ? java_argument_error : java_error;
}

int myc_raise_java_error(JNIEnv *env)
{
    jthrowable thrown = (*env)->ExceptionOccurred(env);
    (*env)->ExceptionClear(env);
    if (thrown == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "a Java call failed without an exception");
        return -1;
    }
    PyObject *type = java_error_type((*env)->IsInstanceOf(env, thrown, myc_refs.illegal_argument));
    PyObject *java_class = myc_java_class_name(env, thrown);
    jstring text = (*env)->CallObjectMethod(env, thrown, myc_refs.throwable_to_string);
    (*env)->DeleteLocalRef(env, thrown);
    PyObject *message = NULL;
    if (text == NULL) {
        (*env)->ExceptionClear(env);
        message = PyUnicode_FromString("Java exception (its toString() failed)");
    } else {
        message = myc_python_string(env, text);
        (*env)->DeleteLocalRef(env, text);
    }
    if (message != NULL && java_class != NULL) {
        PyObject *exception = (type == PyExc_RuntimeError || type == PyExc_ValueError)
            ? PyObject_CallOneArg(type, message)
            : PyObject_CallFunctionObjArgs(type, message, java_class, NULL);
        if (exception != NULL) {
            PyErr_SetObject(type, exception);
            Py_DECREF(exception);
        }
    }
    Py_XDECREF(message);
    Py_XDECREF(java_class);
    return -1;
}
