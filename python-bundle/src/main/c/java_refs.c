/* Java classes and method ids, cached once in JNI_OnLoad as global refs; loading fails if one is missing. */
#include "mycelium_python.h"

MycRefs myc_refs;

/* Each helper returns 0, or -1 with the JVM's NoClassDefFoundError / NoSuchMethodError pending. */
static int global_class(JNIEnv *env, const char *name, jclass *out)
{
    jclass local = (*env)->FindClass(env, name);
    if (local == NULL) {
        return -1;
    }
    *out = (*env)->NewGlobalRef(env, local);
    (*env)->DeleteLocalRef(env, local);
    return *out == NULL ? -1 : 0;
}

static int method(JNIEnv *env, jclass cls, const char *name, const char *sig, jmethodID *out)
{
    *out = (*env)->GetMethodID(env, cls, name, sig);
    return *out == NULL ? -1 : 0;
}

static int static_method(JNIEnv *env, jclass cls, const char *name, const char *sig, jmethodID *out)
{
    *out = (*env)->GetStaticMethodID(env, cls, name, sig);
    return *out == NULL ? -1 : 0;
}

int myc_refs_load(JNIEnv *env)
{
    MycRefs *r = &myc_refs;
    if (global_class(env, "io/mycelium/python/PythonServiceException", &r->python_service_exception)
        || method(env, r->python_service_exception, "<init>",
                  "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)V", &r->python_service_exception_init)
        || global_class(env, "java/lang/IllegalStateException", &r->illegal_state)
        || global_class(env, "java/lang/IllegalArgumentException", &r->illegal_argument)
        || global_class(env, "java/lang/Class", &r->class_class)
        || method(env, r->class_class, "getName", "()Ljava/lang/String;", &r->class_get_name)
        || global_class(env, "java/lang/String", &r->string)
        || global_class(env, "java/lang/Boolean", &r->boolean)
        || static_method(env, r->boolean, "valueOf", "(Z)Ljava/lang/Boolean;", &r->boolean_value_of)
        || method(env, r->boolean, "booleanValue", "()Z", &r->boolean_value)
        || global_class(env, "java/lang/Integer", &r->integer)
        || method(env, r->integer, "intValue", "()I", &r->integer_int_value)
        || global_class(env, "java/lang/Long", &r->long_)
        || static_method(env, r->long_, "valueOf", "(J)Ljava/lang/Long;", &r->long_value_of)
        || method(env, r->long_, "longValue", "()J", &r->long_value)
        || global_class(env, "java/lang/Double", &r->double_)
        || static_method(env, r->double_, "valueOf", "(D)Ljava/lang/Double;", &r->double_value_of)
        || method(env, r->double_, "doubleValue", "()D", &r->double_value)
        || global_class(env, "[B", &r->byte_array)
        || global_class(env, "java/lang/Object", &r->object)
        || global_class(env, "[Ljava/lang/Object;", &r->object_array)
        || global_class(env, "io/mycelium/python/impl/jni/PythonUpcalls", &r->upcalls)
        || method(env, r->upcalls, "publish", "(ILjava/nio/ByteBuffer;)V", &r->up_publish)
        || method(env, r->upcalls, "publishScratch", "(II)V", &r->up_publish_scratch)
        || method(env, r->upcalls, "scratchBuffer", "()Ljava/nio/ByteBuffer;", &r->up_scratch_buffer)
        || method(env, r->upcalls, "subscribe", "(IIZ)J", &r->up_subscribe)
        || method(env, r->upcalls, "unsubscribe", "(IJ)V", &r->up_unsubscribe)
        || method(env, r->upcalls, "callbackTable", "(I)J", &r->up_callback_table)
        || method(env, r->upcalls, "log", "(ILjava/lang/String;Ljava/lang/String;)V", &r->up_log)
        || method(env, r->upcalls, "reportError",
                  "(ILjava/lang/String;Ljava/lang/String;Ljava/lang/String;)V", &r->up_report_error)
        || method(env, r->upcalls, "schemaDigests", "()[Ljava/lang/String;", &r->up_schema_digests)) {
        return -1;
    }
    jclass throwable = (*env)->FindClass(env, "java/lang/Throwable");
    if (throwable == NULL) {
        return -1;
    }
    int rc = method(env, throwable, "toString", "()Ljava/lang/String;", &r->throwable_to_string);
    (*env)->DeleteLocalRef(env, throwable);
    return rc;
}

void myc_refs_unload(JNIEnv *env)
{
    jclass *classes[] = {
        &myc_refs.python_service_exception, &myc_refs.illegal_state, &myc_refs.illegal_argument,
        &myc_refs.class_class, &myc_refs.string, &myc_refs.boolean, &myc_refs.integer, &myc_refs.long_,
        &myc_refs.double_, &myc_refs.byte_array, &myc_refs.object, &myc_refs.object_array, &myc_refs.upcalls,
    };
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        if (*classes[i] != NULL) {
            (*env)->DeleteGlobalRef(env, *classes[i]);
            *classes[i] = NULL;
        }
    }
}
