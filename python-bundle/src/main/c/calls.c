/* Java -> Python entry points: call a module function, exec source, and own Python object handles. */
#include "mycelium_python.h"
#include "io_mycelium_python_impl_jni_NativeBridge.h"

/* The function module.name, a new reference, or NULL with a Python error set. */
static PyObject *lookup(JNIEnv *env, jstring module, jstring function)
{
    PyObject *module_name = myc_python_string(env, module);
    if (module_name == NULL) {
        return NULL;
    }
    /* sys.modules first, as a plain dict lookup: PyImport_Import and even PyImport_GetModule check
     * __spec__._initializing, which raises and clears an AttributeError for __main__ on every call (~1 us) */
    PyObject *mod = PyDict_GetItemWithError(PyImport_GetModuleDict(), module_name);
    if (mod != NULL) {
        Py_INCREF(mod);
    } else if (!PyErr_Occurred()) {
        mod = PyImport_Import(module_name);
    }
    Py_DECREF(module_name);
    if (mod == NULL) {
        return NULL;
    }
    PyObject *function_name = myc_python_string(env, function);
    PyObject *callable = function_name ? PyObject_GetAttr(mod, function_name) : NULL;
    Py_XDECREF(function_name);
    Py_DECREF(mod);
    return callable;
}

JNIEXPORT jobject JNICALL Java_io_mycelium_python_impl_jni_NativeBridge_call(
    JNIEnv *env, jclass cls, jstring module, jstring function, jobjectArray args)
{
    (void)cls;
    if (!myc_require_running(env)) {
        return NULL;
    }
    jobject result = NULL;
    PyObject *callable = NULL, *py_args = NULL, *tuple = NULL, *value = NULL;
    PyGILState_STATE gil = myc_gil_acquire();
    callable = lookup(env, module, function);
    if (callable == NULL) {
        goto python_error;
    }
    py_args = args ? myc_array_to_python(env, args) : PyList_New(0);
    if (py_args == NULL) {
        goto python_error;
    }
    tuple = PyList_AsTuple(py_args);
    if (tuple == NULL) {
        goto python_error;
    }
    value = PyObject_Call(callable, tuple, NULL);
    if (value == NULL || myc_to_java(env, value, &result) != 0) {
        goto python_error;
    }
    goto done;
python_error:
    myc_throw_python_error(env);
done:
    Py_XDECREF(value);
    Py_XDECREF(tuple);
    Py_XDECREF(py_args);
    Py_XDECREF(callable);
    myc_gil_release(gil);
    return result;
}

JNIEXPORT void JNICALL Java_io_mycelium_python_impl_jni_NativeBridge_exec(
    JNIEnv *env, jclass cls, jstring source, jstring filename)
{
    (void)cls;
    if (!myc_require_running(env)) {
        return;
    }
    PyGILState_STATE gil = myc_gil_acquire();
    PyObject *code = NULL, *result = NULL;
    PyObject *py_source = myc_python_string(env, source);
    PyObject *py_filename = py_source ? myc_python_string(env, filename) : NULL;
    PyObject *main = py_filename ? PyImport_AddModule("__main__") : NULL; /* borrowed */
    const char *text = main ? PyUnicode_AsUTF8(py_source) : NULL;
    if (text != NULL) {
        code = Py_CompileStringObject(text, py_filename, Py_file_input, NULL, -1);
    }
    if (code != NULL) {
        PyObject *globals = PyModule_GetDict(main); /* borrowed */
        result = PyEval_EvalCode(code, globals, globals);
    }
    if (result == NULL) {
        myc_throw_python_error(env);
    }
    Py_XDECREF(result);
    Py_XDECREF(code);
    Py_XDECREF(py_filename);
    Py_XDECREF(py_source);
    myc_gil_release(gil);
}

JNIEXPORT jlong JNICALL Java_io_mycelium_python_impl_jni_NativeBridge_newDict(JNIEnv *env, jclass cls)
{
    (void)cls;
    if (!myc_require_running(env)) {
        return 0;
    }
    PyGILState_STATE gil = myc_gil_acquire();
    PyObject *dict = PyDict_New(); /* owned by the Java caller until release() */
    if (dict == NULL) {
        myc_throw_python_error(env);
    }
    myc_gil_release(gil);
    return (jlong)(intptr_t)dict;
}

JNIEXPORT void JNICALL Java_io_mycelium_python_impl_jni_NativeBridge_release(JNIEnv *env, jclass cls, jlong object)
{
    (void)cls;
    if (object == 0 || !myc_running()) {
        return; /* after finalise every object is gone already */
    }
    (void)env;
    PyGILState_STATE gil = myc_gil_acquire();
    Py_DECREF((PyObject *)(intptr_t)object);
    myc_gil_release(gil);
}
