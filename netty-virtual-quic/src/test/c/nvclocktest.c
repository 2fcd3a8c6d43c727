/*
 * A stand-in for the quiche library in tests: calls clock_gettime() through its own GOT/PLT, so that
 * NativeClockHook can patch it. Built twice by the test build, once with a lazily bound PLT
 * (R_X86_64_JUMP_SLOT) and once like quiche (-fno-plt, -z now, RELRO: R_X86_64_GLOB_DAT); NV_CLASS names
 * the Java class whose native method this library implements. Built a third time with NV_NO_CLOCK: a
 * library that imports no clock_gettime at all, for the "nothing to patch" error.
 *
 * It also has a RAND_bytes laid out as BoringSSL's (a frame around one direct call to the generator, here
 * one that fills with 0xAB), local to the library like quiche's, for the seeded-randomness patch.
 */
#include <jni.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
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

/* The "generator" that RAND_bytes calls; the patch diverts that call. */
__attribute__((visibility("hidden"), used)) void nv_test_bcm_rand_bytes(uint8_t *out, size_t len) {
    memset(out, 0xAB, len);
}

__attribute__((visibility("hidden"))) int RAND_bytes(uint8_t *out, size_t len);

/* Byte for byte what BoringSSL's RAND_bytes is in netty-codec-native-quic 4.2: 55 48 89 e5 e8 <rel32>
 * b8 01 00 00 00 5d c3. */
__asm__(
    ".text\n"
    ".p2align 4\n"
    ".hidden RAND_bytes\n"
    ".globl RAND_bytes\n"
    ".type RAND_bytes, @function\n"
    "RAND_bytes:\n"
    "    push %rbp\n"
    "    mov %rsp, %rbp\n"
    "    call nv_test_bcm_rand_bytes\n"
    "    mov $1, %eax\n"
    "    pop %rbp\n"
    "    ret\n"
    ".size RAND_bytes, .-RAND_bytes\n");

#define NV_RANDOM_FUNCTION NV_CONCAT(NV_CONCAT(Java_io_nettyvirtual_quic_, NV_CLASS), _randomBytes)

JNIEXPORT void JNICALL NV_RANDOM_FUNCTION(JNIEnv *env, jclass cls, jobject buffer, jint length) {
    (void) cls;
    uint8_t *out = (uint8_t *) (*env)->GetDirectBufferAddress(env, buffer);
    RAND_bytes(out, (size_t) length);
}
