/*
 * netty-virtual: answers a shared library's monotonic-clock calls from a per-thread virtual clock.
 *
 * Two parts:
 *  - nv_clock_gettime(): a drop-in for clock_gettime(). On a thread bound from Java (a __thread
 *    pointer to an 8-byte nanosecond cell plus a fixed base), the monotonic clocks answer
 *    base + *cell; every other clock, and every unbound thread, gets the real clock_gettime().
 *  - GOT patching: find a loaded shared object by a substring of its path or soname
 *    (dl_iterate_phdr), walk its dynamic relocations (DT_JMPREL for JUMP_SLOT, DT_RELA for
 *    GLOB_DAT / 64) and point every slot bound to the symbol "clock_gettime" at nv_clock_gettime.
 *    The slots usually live in RELRO memory, so the page is made writable for the store and given
 *    its former protection back afterwards.
 *
 * Only the patched object is affected: the JVM, libc and every other library keep calling the real
 * clock_gettime through their own GOTs.
 *
 * Linux x86_64 (ELF64, RELA relocations), glibc or any libc with dl_iterate_phdr.
 */
#define _GNU_SOURCE
#include <jni.h>

#include <errno.h>
#include <link.h>
#include <dlfcn.h>
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define NANOS_PER_SECOND 1000000000LL

/* The binding of the calling thread: NULL when the thread is not bound. */
static __thread const int64_t *tl_cell;
static __thread int64_t tl_base;

static int nv_is_monotonic(clockid_t id) {
    switch (id) {
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        return 1;
    default:
        return 0;
    }
}

/* The replacement installed into patched GOT slots. Must stay async-signal-safe and allocation-free
 * on the bound path: it runs inside quiche, on the event loop, many times per packet. */
static int nv_clock_gettime(clockid_t id, struct timespec *ts) {
    const int64_t *cell = tl_cell;
    if (cell != NULL && nv_is_monotonic(id)) {
        if (ts == NULL) {
            errno = EFAULT;
            return -1;
        }
        /* The cell is written by Java (ByteBuffer / VarHandle); read it atomically. */
        int64_t now = tl_base + __atomic_load_n(cell, __ATOMIC_ACQUIRE);
        int64_t sec = now / NANOS_PER_SECOND;
        int64_t nsec = now % NANOS_PER_SECOND;
        if (nsec < 0) { /* floor division for values before the epoch of the monotonic clock */
            nsec += NANOS_PER_SECOND;
            sec -= 1;
        }
        ts->tv_sec = (time_t) sec;
        ts->tv_nsec = (long) nsec;
        return 0;
    }
    return clock_gettime(id, ts);
}

/* ---------------------------------------------------------------------------------------------- */
/* GOT patching                                                                                    */

struct nv_patch_request {
    const char *needle;      /* substring of the object's path or soname */
    uintptr_t self_base;     /* load address of this library: never patch ourselves */
    uintptr_t replacement;   /* value stored into the slots */
    int objects;             /* matching objects seen */
    int slots;               /* slots now pointing at the replacement */
    int error;               /* errno of a failed mprotect, 0 if none */
};

/* glibc relocates the d_ptr entries of the in-memory dynamic section; other loaders do not. */
static uintptr_t nv_abs(uintptr_t base, uintptr_t ptr) {
    return ptr < base ? base + ptr : ptr;
}

/* The protection of the mapping that holds addr, from /proc/self/maps; -1 if not found. */
static int nv_page_prot(uintptr_t addr) {
    FILE *maps = fopen("/proc/self/maps", "re");
    if (maps == NULL) {
        return -1;
    }
    char line[512];
    int prot = -1;
    while (fgets(line, sizeof(line), maps) != NULL) {
        unsigned long start, end;
        char perms[5];
        if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) != 3) {
            continue;
        }
        if (addr >= start && addr < end) {
            prot = PROT_NONE;
            if (perms[0] == 'r') prot |= PROT_READ;
            if (perms[1] == 'w') prot |= PROT_WRITE;
            if (perms[2] == 'x') prot |= PROT_EXEC;
            break;
        }
    }
    fclose(maps);
    return prot;
}

/* Stores value into the slot at addr, unless it is there already. Returns 0 or an errno. */
static int nv_write_slot(uintptr_t addr, uintptr_t value) {
    uintptr_t *slot = (uintptr_t *) addr;
    if (__atomic_load_n(slot, __ATOMIC_ACQUIRE) == value) {
        return 0;
    }
    long page_size = sysconf(_SC_PAGESIZE);
    uintptr_t page = addr & ~((uintptr_t) page_size - 1);
    int prot = nv_page_prot(addr);
    if (prot == -1) {
        prot = PROT_READ; /* RELRO: the usual case */
    }
    int writable = (prot & PROT_WRITE) != 0;
    if (!writable && mprotect((void *) page, (size_t) page_size, prot | PROT_READ | PROT_WRITE) != 0) {
        return errno;
    }
    /* An aligned 8-byte store: a thread calling through the slot sees the old or the new target. */
    __atomic_store_n(slot, value, __ATOMIC_SEQ_CST);
    if (!writable && mprotect((void *) page, (size_t) page_size, prot) != 0) {
        return errno;
    }
    return 0;
}

static void nv_patch_table(struct nv_patch_request *req, uintptr_t base, const ElfW(Rela) *rela,
                           size_t size, const ElfW(Sym) *symtab, const char *strtab) {
    if (rela == NULL || symtab == NULL || strtab == NULL) {
        return;
    }
    size_t count = size / sizeof(ElfW(Rela));
    for (size_t i = 0; i < count; i++) {
        uint32_t type = ELF64_R_TYPE(rela[i].r_info);
        uint32_t sym = ELF64_R_SYM(rela[i].r_info);
        if (sym == 0) {
            continue;
        }
        if (type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT
                && !(type == R_X86_64_64 && rela[i].r_addend == 0)) {
            continue;
        }
        if (strcmp(strtab + symtab[sym].st_name, "clock_gettime") != 0) {
            continue;
        }
        int err = nv_write_slot(base + rela[i].r_offset, req->replacement);
        if (err != 0) {
            req->error = err;
            return;
        }
        req->slots++;
    }
}

static int nv_patch_callback(struct dl_phdr_info *info, size_t size, void *data) {
    (void) size;
    struct nv_patch_request *req = (struct nv_patch_request *) data;
    uintptr_t base = (uintptr_t) info->dlpi_addr;
    if (base == req->self_base || req->error != 0) {
        return 0;
    }
    const ElfW(Dyn) *dyn = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type == PT_DYNAMIC) {
            dyn = (const ElfW(Dyn) *) (base + info->dlpi_phdr[i].p_vaddr);
            break;
        }
    }
    if (dyn == NULL) {
        return 0;
    }

    uintptr_t jmprel = 0, rela = 0, symtab = 0, strtab = 0;
    size_t pltrelsz = 0, relasz = 0;
    long pltrel = DT_RELA, soname = -1;
    for (const ElfW(Dyn) *d = dyn; d->d_tag != DT_NULL; d++) {
        switch (d->d_tag) {
        case DT_JMPREL:   jmprel = nv_abs(base, d->d_un.d_ptr); break;
        case DT_PLTRELSZ: pltrelsz = d->d_un.d_val; break;
        case DT_PLTREL:   pltrel = (long) d->d_un.d_val; break;
        case DT_RELA:     rela = nv_abs(base, d->d_un.d_ptr); break;
        case DT_RELASZ:   relasz = d->d_un.d_val; break;
        case DT_SYMTAB:   symtab = nv_abs(base, d->d_un.d_ptr); break;
        case DT_STRTAB:   strtab = nv_abs(base, d->d_un.d_ptr); break;
        case DT_SONAME:   soname = (long) d->d_un.d_val; break;
        default: break;
        }
    }

    const char *name = info->dlpi_name;
    int matches = name != NULL && strstr(name, req->needle) != NULL;
    if (!matches && soname >= 0 && strtab != 0) {
        matches = strstr((const char *) strtab + soname, req->needle) != NULL;
    }
    if (!matches) {
        return 0;
    }
    req->objects++;

    if (pltrel == DT_RELA) {
        nv_patch_table(req, base, (const ElfW(Rela) *) jmprel, pltrelsz,
                       (const ElfW(Sym) *) symtab, (const char *) strtab);
    }
    nv_patch_table(req, base, (const ElfW(Rela) *) rela, relasz,
                   (const ElfW(Sym) *) symtab, (const char *) strtab);
    return 0; /* keep going: the same library may be loaded more than once (class loaders) */
}

/* ---------------------------------------------------------------------------------------------- */
/* JNI                                                                                             */

static void nv_throw(JNIEnv *env, const char *class_name, const char *message) {
    jclass cls = (*env)->FindClass(env, class_name);
    if (cls != NULL) {
        (*env)->ThrowNew(env, cls, message);
    }
}

/*
 * Points every clock_gettime slot of the objects whose path or soname contains needle at the
 * replacement. Returns the number of slots that now point at it (already patched ones included),
 * or -1 when no loaded object matched.
 */
JNIEXPORT jint JNICALL
Java_io_nettyvirtual_quic_NativeClockHook_patch0(JNIEnv *env, jclass cls, jstring needle) {
    (void) cls;
    const char *chars = (*env)->GetStringUTFChars(env, needle, NULL);
    if (chars == NULL) {
        return -1; /* OutOfMemoryError pending */
    }
    Dl_info self;
    memset(&self, 0, sizeof(self));
    if (dladdr((void *) &nv_clock_gettime, &self) == 0) {
        self.dli_fbase = NULL;
    }
    struct nv_patch_request req = {
        .needle = chars,
        .self_base = (uintptr_t) self.dli_fbase,
        .replacement = (uintptr_t) &nv_clock_gettime,
    };
    dl_iterate_phdr(nv_patch_callback, &req);
    (*env)->ReleaseStringUTFChars(env, needle, chars);

    if (req.error != 0) {
        char message[256];
        snprintf(message, sizeof(message), "could not write a clock_gettime GOT slot: mprotect: %s",
                 strerror(req.error));
        nv_throw(env, "java/lang/IllegalStateException", message);
        return -1;
    }
    return req.objects == 0 ? -1 : req.slots;
}

JNIEXPORT void JNICALL
Java_io_nettyvirtual_quic_NativeClockHook_bind0(JNIEnv *env, jclass cls, jobject cell, jlong base) {
    (void) cls;
    void *address = (*env)->GetDirectBufferAddress(env, cell);
    jlong capacity = (*env)->GetDirectBufferCapacity(env, cell);
    if (address == NULL || capacity < 8) {
        nv_throw(env, "java/lang/IllegalArgumentException",
                 "the clock cell must be a direct ByteBuffer of at least 8 bytes");
        return;
    }
    if (((uintptr_t) address & 7) != 0) {
        nv_throw(env, "java/lang/IllegalArgumentException",
                 "the clock cell's address must be 8-byte aligned (use ByteBuffer.allocateDirect)");
        return;
    }
    tl_base = (int64_t) base;
    __atomic_store_n(&tl_cell, (const int64_t *) address, __ATOMIC_RELEASE);
}

JNIEXPORT void JNICALL
Java_io_nettyvirtual_quic_NativeClockHook_unbind0(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    __atomic_store_n(&tl_cell, NULL, __ATOMIC_RELEASE);
    tl_base = 0;
}

/* What a patched library sees on the calling thread, for diagnostics and tests. */
JNIEXPORT jlong JNICALL
Java_io_nettyvirtual_quic_NativeClockHook_clockNanos0(JNIEnv *env, jclass cls, jint clock_id) {
    (void) env;
    (void) cls;
    struct timespec ts;
    if (nv_clock_gettime((clockid_t) clock_id, &ts) != 0) {
        return -1;
    }
    return (jlong) ts.tv_sec * NANOS_PER_SECOND + ts.tv_nsec;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) vm;
    (void) reserved;
    return JNI_VERSION_1_8;
}
