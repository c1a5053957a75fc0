/* JNI_OnLoad and JNIEnv for the current thread, attaching threads that Python created. */
#include <pthread.h>
#include <stdio.h>

#include "mycelium_python.h"

static JavaVM *g_vm;
static pthread_key_t g_detach_key;

/* Runs when a thread that myc_env attached ends, so the JVM does not keep a dead thread. */
static void detach_on_exit(void *unused)
{
    (void)unused;
    (*g_vm)->DetachCurrentThread(g_vm);
}

MYC_EXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved)
{
    (void)reserved;
    JNIEnv *env;
    g_vm = vm;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    if (pthread_key_create(&g_detach_key, detach_on_exit) != 0) {
        myc_throw_java(env, (*env)->FindClass(env, "java/lang/IllegalStateException"),
                       "libmycelium_python: pthread_key_create failed");
        return JNI_ERR;
    }
    if (myc_refs_load(env) != 0) {
        return JNI_ERR;
    }
    return JNI_VERSION_1_8;
}

MYC_EXPORT void JNICALL JNI_OnUnload(JavaVM *vm, void *reserved)
{
    (void)reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) == JNI_OK) {
        myc_refs_unload(env);
    }
}

/* "python-<Python thread name>" in ASCII, so thread dumps show which Python thread called into Java. */
static void python_thread_name(char *name, size_t size)
{
    snprintf(name, size, "python-thread");
    PyObject *threading = PyImport_ImportModule("threading");
    PyObject *thread = threading ? PyObject_CallMethod(threading, "current_thread", NULL) : NULL;
    PyObject *py_name = thread ? PyObject_GetAttrString(thread, "name") : NULL;
    const char *utf8 = py_name && PyUnicode_Check(py_name) ? PyUnicode_AsUTF8(py_name) : NULL;
    if (utf8 != NULL) {
        snprintf(name, size, "python-%s", utf8);
        for (char *c = name; *c; c++) {
            if ((unsigned char)*c >= 0x80) {
                *c = '?';
            }
        }
    }
    PyErr_Clear();
    Py_XDECREF(py_name);
    Py_XDECREF(thread);
    Py_XDECREF(threading);
}

JNIEnv *myc_env(void)
{
    JNIEnv *env = NULL;
    jint rc = (*g_vm)->GetEnv(g_vm, (void **)&env, JNI_VERSION_1_8);
    if (rc == JNI_OK) {
        return env;
    }
    if (rc != JNI_EDETACHED) {
        PyErr_Format(PyExc_RuntimeError, "JNI GetEnv failed with %d", (int)rc);
        return NULL;
    }
    char name[80];
    python_thread_name(name, sizeof name);
    JavaVMAttachArgs args = {JNI_VERSION_1_8, name, NULL};
    rc = (*g_vm)->AttachCurrentThreadAsDaemon(g_vm, (void **)&env, &args);
    if (rc != JNI_OK) {
        PyErr_Format(PyExc_RuntimeError, "cannot attach this Python thread to the JVM (JNI error %d)", (int)rc);
        return NULL;
    }
    /* any non-NULL value makes the key's destructor run at thread exit */
    pthread_setspecific(g_detach_key, g_vm);
    return env;
}
