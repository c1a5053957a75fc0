/* Java values <-> Python objects: null/None, String/str, Boolean/bool, Integer|Long/int, Double/float,
 * byte[]/bytes, Object[]/list|tuple. Anything else is a TypeError naming the type and the supported ones. */
#include "mycelium_python.h"

PyObject *myc_python_string(JNIEnv *env, jstring str)
{
    jsize length = (*env)->GetStringLength(env, str);
    const jchar *chars = (*env)->GetStringChars(env, str, NULL);
    if (chars == NULL) {
        (*env)->ExceptionClear(env);
        return PyErr_NoMemory();
    }
    int byteorder = -1; /* UTF-16LE: jchar is native order on x86-64 */
    PyObject *result = PyUnicode_DecodeUTF16((const char *)chars, (Py_ssize_t)length * 2, "surrogatepass",
                                             &byteorder);
    (*env)->ReleaseStringChars(env, str, chars);
    return result;
}

jstring myc_java_string(JNIEnv *env, PyObject *str)
{
    /* UTF-16 rather than NewStringUTF: Java's modified UTF-8 differs from UTF-8 outside the BMP */
    PyObject *utf16 = PyUnicode_AsEncodedString(str, "utf-16-le", "surrogatepass");
    if (utf16 == NULL) {
        return NULL;
    }
    jstring result = (*env)->NewString(env, (const jchar *)PyBytes_AS_STRING(utf16),
                                       (jsize)(PyBytes_GET_SIZE(utf16) / 2));
    Py_DECREF(utf16);
    if (result == NULL) {
        (*env)->ExceptionClear(env);
        PyErr_NoMemory();
    }
    return result;
}

PyObject *myc_java_class_name(JNIEnv *env, jobject value)
{
    jclass cls = (*env)->GetObjectClass(env, value);
    jstring name = (*env)->CallObjectMethod(env, cls, myc_refs.class_get_name);
    (*env)->DeleteLocalRef(env, cls);
    if (name == NULL) {
        (*env)->ExceptionClear(env);
        return PyUnicode_FromString("?");
    }
    PyObject *result = myc_python_string(env, name);
    (*env)->DeleteLocalRef(env, name);
    return result;
}

PyObject *myc_array_to_python(JNIEnv *env, jobjectArray array)
{
    jsize length = (*env)->GetArrayLength(env, array);
    PyObject *list = PyList_New(length);
    for (jsize i = 0; list != NULL && i < length; i++) {
        jobject element = (*env)->GetObjectArrayElement(env, array, i);
        PyObject *item = myc_to_python(env, element);
        if (element != NULL) {
            (*env)->DeleteLocalRef(env, element);
        }
        if (item == NULL) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, i, item);
    }
    return list;
}

PyObject *myc_to_python(JNIEnv *env, jobject value)
{
    if (value == NULL) {
        Py_RETURN_NONE;
    }
    if ((*env)->IsInstanceOf(env, value, myc_refs.string)) {
        return myc_python_string(env, (jstring)value);
    }
    if ((*env)->IsInstanceOf(env, value, myc_refs.boolean)) {
        return PyBool_FromLong((*env)->CallBooleanMethod(env, value, myc_refs.boolean_value));
    }
    if ((*env)->IsInstanceOf(env, value, myc_refs.integer)) {
        return PyLong_FromLong((*env)->CallIntMethod(env, value, myc_refs.integer_int_value));
    }
    if ((*env)->IsInstanceOf(env, value, myc_refs.long_)) {
        return PyLong_FromLongLong((*env)->CallLongMethod(env, value, myc_refs.long_value));
    }
    if ((*env)->IsInstanceOf(env, value, myc_refs.double_)) {
        return PyFloat_FromDouble((*env)->CallDoubleMethod(env, value, myc_refs.double_value));
    }
    if ((*env)->IsInstanceOf(env, value, myc_refs.byte_array)) {
        jsize length = (*env)->GetArrayLength(env, (jbyteArray)value);
        PyObject *bytes = PyBytes_FromStringAndSize(NULL, length);
        if (bytes != NULL) {
            (*env)->GetByteArrayRegion(env, (jbyteArray)value, 0, length, (jbyte *)PyBytes_AS_STRING(bytes));
        }
        return bytes;
    }
    if ((*env)->IsInstanceOf(env, value, myc_refs.object_array)) {
        return myc_array_to_python(env, (jobjectArray)value);
    }
    PyObject *name = myc_java_class_name(env, value);
    PyErr_Format(PyExc_TypeError,
                 "cannot pass a Java %S to Python: supported are null, String, Boolean, Integer, Long, Double, "
                 "byte[] and Object[]", name);
    Py_XDECREF(name);
    return NULL;
}

static int sequence_to_java(JNIEnv *env, PyObject *sequence, jobject *out)
{
    PyObject *fast = PySequence_Fast(sequence, "expected a sequence");
    if (fast == NULL) {
        return -1;
    }
    Py_ssize_t length = PySequence_Fast_GET_SIZE(fast);
    jobjectArray array = (*env)->NewObjectArray(env, (jsize)length, myc_refs.object, NULL);
    if (array == NULL) {
        (*env)->ExceptionClear(env);
        Py_DECREF(fast);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < length; i++) {
        jobject element;
        if (myc_to_java(env, PySequence_Fast_GET_ITEM(fast, i), &element) != 0) {
            (*env)->DeleteLocalRef(env, array);
            Py_DECREF(fast);
            return -1;
        }
        (*env)->SetObjectArrayElement(env, array, (jsize)i, element);
        if (element != NULL) {
            (*env)->DeleteLocalRef(env, element);
        }
    }
    Py_DECREF(fast);
    *out = array;
    return 0;
}

/* Boxes with a cached static valueOf; maps a failed JNI call to MemoryError. */
#define BOX(call)                                                      \
    do {                                                               \
        *out = (call);                                                 \
        if (*out == NULL) {                                            \
            (*env)->ExceptionClear(env);                               \
            PyErr_NoMemory();                                          \
            return -1;                                                 \
        }                                                              \
        return 0;                                                      \
    } while (0)

int myc_to_java(JNIEnv *env, PyObject *value, jobject *out)
{
    *out = NULL;
    if (value == Py_None) {
        return 0;
    }
    if (PyBool_Check(value)) {
        BOX((*env)->CallStaticObjectMethod(env, myc_refs.boolean, myc_refs.boolean_value_of,
                                           (jboolean)(value == Py_True)));
    }
    if (PyLong_Check(value)) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (overflow != 0) {
            PyErr_Format(PyExc_OverflowError, "Python int %R does not fit a Java long", value);
            return -1;
        }
        if (v == -1 && PyErr_Occurred()) {
            return -1;
        }
        BOX((*env)->CallStaticObjectMethod(env, myc_refs.long_, myc_refs.long_value_of, (jlong)v));
    }
    if (PyFloat_Check(value)) {
        BOX((*env)->CallStaticObjectMethod(env, myc_refs.double_, myc_refs.double_value_of,
                                           (jdouble)PyFloat_AS_DOUBLE(value)));
    }
    if (PyUnicode_Check(value)) {
        *out = myc_java_string(env, value);
        return *out == NULL ? -1 : 0;
    }
    if (PyBytes_Check(value) || PyByteArray_Check(value) || PyMemoryView_Check(value)) {
        Py_buffer view;
        if (PyObject_GetBuffer(value, &view, PyBUF_SIMPLE) != 0) {
            return -1;
        }
        jbyteArray array = (*env)->NewByteArray(env, (jsize)view.len);
        if (array != NULL) {
            (*env)->SetByteArrayRegion(env, array, 0, (jsize)view.len, (const jbyte *)view.buf);
        }
        PyBuffer_Release(&view);
        BOX(array);
    }
    if (PyList_Check(value) || PyTuple_Check(value)) {
        return sequence_to_java(env, value, out);
    }
    PyErr_Format(PyExc_TypeError,
                 "cannot return a Python %s to Java: supported are None, str, bool, int, float, bytes-like, "
                 "list and tuple", Py_TYPE(value)->tp_name);
    return -1;
}
