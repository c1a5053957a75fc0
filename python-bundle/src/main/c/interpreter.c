/* The interpreter's lifecycle: once per JVM, initialised and finalised on the python-main thread. */
#include <dlfcn.h>
#include <stdatomic.h>

#include "mycelium_python.h"
#include "io_mycelium_python_impl_jni_NativeBridge.h"

enum { STATE_NEW, STATE_RUNNING, STATE_FINALISED };

static _Atomic int g_state = STATE_NEW;
static PyThreadState *g_main;   /* python-main's thread state, saved while python-main waits for work */
static jobject g_upcalls;       /* global ref, owned from init to finalise */

int myc_running(void)
{
    return atomic_load(&g_state) == STATE_RUNNING;
}

jobject myc_upcalls(void)
{
    return myc_running() ? g_upcalls : NULL;
}

int myc_require_running(JNIEnv *env)
{
    int state = atomic_load(&g_state);
    if (state == STATE_RUNNING) {
        return 1;
    }
    myc_throw_java(env, myc_refs.illegal_state, "the embedded CPython interpreter is %s",
                   state == STATE_NEW ? "not started" : "finalised (it cannot be restarted in the same JVM)");
    return 0;
}

static int throw_status(JNIEnv *env, const char *what, PyStatus status)
{
    if (PyStatus_IsExit(status)) {
        myc_throw_java(env, myc_refs.illegal_state, "%s: CPython asked to exit with code %d", what,
                       status.exitcode);
    } else {
        myc_throw_java(env, myc_refs.illegal_state, "%s: %s%s%s", what, status.func ? status.func : "",
                       status.func ? ": " : "", status.err_msg ? status.err_msg : "unknown error");
    }
    return -1;
}

/* Imports threading (python-main becomes threading.main_thread()) and prepends the sys.path entries. */
static int prepare(JNIEnv *env, jobjectArray sys_path)
{
    PyObject *threading = PyImport_ImportModule("threading");
    if (threading == NULL) {
        return -1;
    }
    Py_DECREF(threading);
    PyObject *path = PySys_GetObject("path"); /* borrowed */
    if (path == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "sys.path is missing");
        return -1;
    }
    jsize count = sys_path ? (*env)->GetArrayLength(env, sys_path) : 0;
    for (jsize i = count - 1; i >= 0; i--) {
        jstring entry = (*env)->GetObjectArrayElement(env, sys_path, i);
        PyObject *py_entry = entry ? myc_python_string(env, entry) : NULL;
        if (entry != NULL) {
            (*env)->DeleteLocalRef(env, entry);
        }
        if (py_entry == NULL) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_ValueError, "a sys.path entry is null");
            }
            return -1;
        }
        int rc = PyList_Insert(path, 0, py_entry);
        Py_DECREF(py_entry);
        if (rc != 0) {
            return -1;
        }
    }
    return 0;
}

JNIEXPORT void JNICALL Java_io_mycelium_python_impl_jni_NativeBridge_initialize(
    JNIEnv *env, jclass cls, jstring library, jstring executable, jobjectArray sys_path, jobject upcalls)
{
    (void)cls;
    int expected = STATE_NEW;
    if (!atomic_compare_exchange_strong(&g_state, &expected, STATE_FINALISED)) {
        myc_throw_java(env, myc_refs.illegal_state,
                       "CPython was already started in this JVM: one interpreter per JVM, and it cannot be "
                       "restarted after it was finalised; restart the JVM");
        return;
    }
    /* From here a failed start leaves the state FINALISED: CPython does not support a second attempt. */
    const char *lib = (*env)->GetStringUTFChars(env, library, NULL);
    if (lib == NULL) {
        return;
    }
    /* System.load opened libpython RTLD_LOCAL as our dependency; extension modules (numpy, even lib-dynload's
     * math) need its symbols global (python-embedding.md §2). */
    void *handle = dlopen(lib, RTLD_NOW | RTLD_GLOBAL);
    if (handle == NULL) {
        myc_throw_java(env, myc_refs.illegal_state,
                       "cannot load libpython '%s' with RTLD_GLOBAL: %s; set python.library to the shared "
                       "libpython of the CPython the bridge was built for", lib, dlerror());
        (*env)->ReleaseStringUTFChars(env, library, lib);
        return;
    }
    (*env)->ReleaseStringUTFChars(env, library, lib);

    if (PyImport_AppendInittab("_mycelium", myc_init_module) != 0) {
        myc_throw_java(env, myc_refs.illegal_state, "PyImport_AppendInittab(_mycelium) failed");
        return;
    }
    PyConfig config;
    PyConfig_InitIsolatedConfig(&config);
    config.install_signal_handlers = 0; /* SIGINT/SIGTERM stay the JVM's */
    config.parse_argv = 0;
    PyStatus status = PyStatus_Ok();
    if (executable != NULL) {
        const char *exe = (*env)->GetStringUTFChars(env, executable, NULL);
        if (exe == NULL) {
            PyConfig_Clear(&config);
            return;
        }
        /* getpath derives sys.prefix from it and finds a venv's pyvenv.cfg */
        status = PyConfig_SetBytesString(&config, &config.executable, exe);
        (*env)->ReleaseStringUTFChars(env, executable, exe);
    }
    if (!PyStatus_Exception(status)) {
        status = Py_InitializeFromConfig(&config);
    }
    PyConfig_Clear(&config);
    if (PyStatus_Exception(status)) {
        throw_status(env, "CPython failed to start", status);
        return;
    }
    g_upcalls = (*env)->NewGlobalRef(env, upcalls);
    if (prepare(env, sys_path) != 0) {
        myc_throw_python_error(env);
        (*env)->DeleteGlobalRef(env, g_upcalls);
        g_upcalls = NULL;
        Py_FinalizeEx();
        return;
    }
    g_main = PyEval_SaveThread();
    atomic_store(&g_state, STATE_RUNNING);
}

JNIEXPORT jint JNICALL Java_io_mycelium_python_impl_jni_NativeBridge_finalizeInterpreter(JNIEnv *env, jclass cls)
{
    (void)cls;
    int expected = STATE_RUNNING;
    if (!atomic_compare_exchange_strong(&g_state, &expected, STATE_FINALISED)) {
        return 0;
    }
    PyEval_RestoreThread(g_main);
    int rc = Py_FinalizeEx();
    g_main = NULL;
    (*env)->DeleteGlobalRef(env, g_upcalls);
    g_upcalls = NULL;
    return rc;
}

JNIEXPORT void JNICALL Java_io_mycelium_python_impl_jni_NativeBridge_attachThread(JNIEnv *env, jclass cls)
{
    (void)cls;
    if (myc_require_running(env)) {
        myc_gil_release(myc_gil_acquire());
    }
}

JNIEXPORT void JNICALL Java_io_mycelium_python_impl_jni_NativeBridge_detachThread(JNIEnv *env, jclass cls)
{
    (void)cls;
    (void)env;
    if (myc_running()) {
        myc_thread_detach(g_main);
    }
}
