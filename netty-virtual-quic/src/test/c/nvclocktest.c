/*
 * A stand-in for the quiche library in tests: calls clock_gettime() through its own GOT/PLT, so that
 * NativeClockHook can patch it. Built twice by the test build, once with a lazily bound PLT
 * (R_X86_64_JUMP_SLOT) and once like quiche (-fno-plt, -z now, RELRO: R_X86_64_GLOB_DAT); NV_CLASS names
 * the Java class whose native method this library implements. Built a third time with NV_NO_CLOCK: a
 * library that imports no clock_gettime at all, for the "nothing to patch" error.
 */
#include <jni.h>
#include <time.h>

#define NV_CONCAT2(a, b) a##b
#define NV_CONCAT(a, b) NV_CONCAT2(a, b)
#define NV_FUNCTION NV_CONCAT(NV_CONCAT(Java_io_nettyvirtual_quic_, NV_CLASS), _clockNanos)

JNIEXPORT jlong JNICALL NV_FUNCTION(JNIEnv *env, jclass cls, jint clock_id) {
    (void) env;
    (void) cls;
#ifdef NV_NO_CLOCK
    return (jlong) clock_id;
#else
    struct timespec ts;
    if (clock_gettime((clockid_t) clock_id, &ts) != 0) {
        return -1;
    }
    return (jlong) ts.tv_sec * 1000000000LL + ts.tv_nsec;
#endif
}
