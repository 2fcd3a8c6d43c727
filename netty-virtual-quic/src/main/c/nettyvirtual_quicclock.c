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
 * The same GOT patching points the object's gettimeofday and time slots at nv_gettimeofday / nv_time: on a bound
 * thread they read a fixed date (2025-01-01T00:00:00Z) plus virtual time. BoringSSL stamps each TLS session with
 * that clock and encrypts the stamp into the session tickets a server sends, so with the wall clock real a ticket's
 * bytes would change from one run of a simulation to the next.
 *
 * A third part makes quiche's random choices replayable: quiche (and the TLS layer around it) draws
 * random numbers from BoringSSL's RAND_bytes(), statically linked and called directly, whose generator
 * mixes in the CPU's RDRAND and cannot be seeded. After the handshake quiche skips a randomly chosen
 * packet number every so often (RFC 9000, 21.4), which changes ACK sizes and so the timing of a run on a
 * rate-limited path. nv_patch_random() redirects the one call inside RAND_bytes (to BCM_rand_bytes)
 * through a stub to nv_rand_bytes(): a thread bound with a random state gets SplitMix64 output from it
 * (deterministic, not secret: for simulations only); every other thread gets BCM_rand_bytes as before.
 *
 * RAND_bytes is not BoringSSL's only way in: its own code (a TLS 1.3 RSA-PSS signature's salt, ECDSA nonces,
 * session ticket keys and IVs) calls the generator's core, BCM_rand_bytes_with_additional_data, directly
 * (through a compiler-split ".part.0" with the same three arguments). nv_patch_random_core() redirects every
 * direct call to that core in the library's code, one call displacement at a time as above, to
 * nv_rand_bytes_ad(): the same SplitMix64 output on a bound thread, the real core on every other. With both, every
 * random byte the library draws on a bound thread comes from the simulation's state.
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
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define NANOS_PER_SECOND 1000000000LL

/* The binding of the calling thread: NULL when the thread is not bound. */
static __thread const int64_t *tl_cell;
static __thread int64_t tl_base;
/* The random state of the calling thread's simulation: NULL for real randomness. */
static __thread uint64_t *tl_rng;

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

/* What a bound thread's wall clock reads at virtual time zero: 2025-01-01T00:00:00Z, a fixed, plausible date. */
#define NV_WALL_BASE_SECONDS 1735689600LL

/* The wall clock of a bound thread: the fixed date plus virtual time; -1 when the thread is not bound. */
static int64_t nv_wall_nanos(void) {
    const int64_t *cell = tl_cell;
    if (cell == NULL) {
        return -1;
    }
    return NV_WALL_BASE_SECONDS * NANOS_PER_SECOND + __atomic_load_n(cell, __ATOMIC_ACQUIRE);
}

/* Drop-ins for gettimeofday() and time(), BoringSSL's wall clock (session times, which tickets carry). */
static int nv_gettimeofday(struct timeval *tv, void *tz) {
    int64_t now = nv_wall_nanos();
    if (now < 0) {
        return gettimeofday(tv, tz);
    }
    if (tv != NULL) {
        tv->tv_sec = (time_t) (now / NANOS_PER_SECOND);
        tv->tv_usec = (suseconds_t) ((now % NANOS_PER_SECOND) / 1000);
    }
    return 0;
}

static time_t nv_time(time_t *out) {
    int64_t now = nv_wall_nanos();
    if (now < 0) {
        return time(out);
    }
    time_t t = (time_t) (now / NANOS_PER_SECOND);
    if (out != NULL) {
        *out = t;
    }
    return t;
}

/* ---------------------------------------------------------------------------------------------- */
/* GOT patching                                                                                    */

struct nv_patch_request {
    const char *needle;      /* substring of the object's path or soname */
    const char *symbol;      /* the imported function whose slots are patched */
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
        if (strcmp(strtab + symtab[sym].st_name, req->symbol) != 0) {
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
/* Seeded randomness                                                                               */

/* RAND_bytes as BoringSSL builds it: push %rbp; mov %rsp,%rbp; call BCM_rand_bytes; mov $1,%eax;
 * pop %rbp; ret. The four bytes after 0xe8 are the call's displacement. */
static const unsigned char NV_RAND_BYTES_CODE[16] = {
    0x55, 0x48, 0x89, 0xe5, 0xe8, 0, 0, 0, 0, 0xb8, 0x01, 0x00, 0x00, 0x00, 0x5d, 0xc3
};
#define NV_CALL_AT 4

/* BCM_rand_bytes, as called by the last RAND_bytes patched. */
static void (*volatile nv_real_rand_bytes)(uint8_t *, size_t);

/* Each patched RAND_bytes (one per library: quiche's, a test's stand-in) by the address after its call, with the
 * generator it called: an unbound thread goes back to its own library's generator. */
#define NV_RAND_SITES 4
static uintptr_t nv_rand_site_return[NV_RAND_SITES];
static void (*nv_rand_site_real[NV_RAND_SITES])(uint8_t *, size_t);
static int nv_rand_sites;

static uint64_t nv_splitmix64(uint64_t *state) {
    uint64_t z = __atomic_add_fetch(state, 0x9E3779B97F4A7C15ULL, __ATOMIC_RELAXED);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Called instead of BCM_rand_bytes from inside the patched RAND_bytes (which then returns 1). */
static __attribute__((noinline)) void nv_rand_bytes(uint8_t *out, size_t len) {
    uint64_t *rng = tl_rng;
    if (rng == NULL) {
        /* Reached by a jump from the stub, so the return address is the one after the patched call. */
        uintptr_t from = (uintptr_t) __builtin_return_address(0);
        void (*real)(uint8_t *, size_t) = nv_real_rand_bytes;
        int sites = __atomic_load_n(&nv_rand_sites, __ATOMIC_ACQUIRE);
        for (int i = 0; i < sites; i++) {
            if (nv_rand_site_return[i] == from) {
                real = nv_rand_site_real[i];
                break;
            }
        }
        real(out, len);
        return;
    }
    while (len > 0) {
        uint64_t v = nv_splitmix64(rng);
        size_t n = len < sizeof(v) ? len : sizeof(v);
        memcpy(out, &v, n);
        out += n;
        len -= n;
    }
}

struct nv_find_request {
    const char *needle;
    uintptr_t self_base;
    uintptr_t base;
    int objects;
};

static int nv_find_callback(struct dl_phdr_info *info, size_t size, void *data) {
    (void) size;
    struct nv_find_request *req = (struct nv_find_request *) data;
    uintptr_t base = (uintptr_t) info->dlpi_addr;
    if (base == req->self_base || info->dlpi_name == NULL || strstr(info->dlpi_name, req->needle) == NULL) {
        return 0;
    }
    req->objects++;
    req->base = base;
    return 0;
}

/* An executable page within a call's reach (+-2 GiB) of near, holding: movabs $target,%rax; jmp *%rax. */
static void *nv_near_stub(uintptr_t near, uintptr_t target) {
    long page_size = sysconf(_SC_PAGESIZE);
    for (uintptr_t distance = (uintptr_t) 1 << 24; distance < ((uintptr_t) 1 << 31); distance <<= 1) {
        for (int side = 0; side < 2; side++) {
            uintptr_t hint = side == 0 ? near - distance : near + distance;
            hint &= ~((uintptr_t) page_size - 1);
            void *p = mmap((void *) hint, (size_t) page_size, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) {
                continue;
            }
            intptr_t reach = (intptr_t) ((uintptr_t) p - near);
            if (reach > INT32_MIN / 2 && reach < INT32_MAX / 2) {
                unsigned char *code = (unsigned char *) p;
                code[0] = 0x48;
                code[1] = 0xb8;
                memcpy(code + 2, &target, sizeof(target));
                code[10] = 0xff;
                code[11] = 0xe0;
                if (mprotect(p, (size_t) page_size, PROT_READ | PROT_EXEC) == 0) {
                    return p;
                }
            }
            munmap(p, (size_t) page_size);
        }
    }
    return NULL;
}

/*
 * Redirects the call inside RAND_bytes, at offset 'symbol' of the object matching 'needle', to
 * nv_rand_bytes. Only the call's 4-byte displacement is rewritten, with one store inside a cache line:
 * a thread running RAND_bytes meanwhile calls either BCM_rand_bytes or the stub, and one returning from
 * BCM_rand_bytes finds the instructions after the call unchanged.
 * Returns 1 when patched, 0 when it already was, or a negative NV_RANDOM_* reason.
 */
#define NV_RANDOM_NOT_LOADED (-1)
#define NV_RANDOM_UNEXPECTED_CODE (-2)
#define NV_RANDOM_NO_STUB (-3)
#define NV_RANDOM_MPROTECT (-4)
#define NV_RANDOM_AMBIGUOUS (-5)

static int nv_patch_random(const char *needle, uintptr_t symbol) {
    Dl_info self;
    memset(&self, 0, sizeof(self));
    if (dladdr((void *) &nv_rand_bytes, &self) == 0) {
        self.dli_fbase = NULL;
    }
    struct nv_find_request req = { .needle = needle, .self_base = (uintptr_t) self.dli_fbase };
    dl_iterate_phdr(nv_find_callback, &req);
    if (req.objects == 0) {
        return NV_RANDOM_NOT_LOADED;
    }
    if (req.objects > 1) {
        return NV_RANDOM_AMBIGUOUS;
    }
    unsigned char *fn = (unsigned char *) (req.base + symbol);
    for (int i = 0; i < (int) sizeof(NV_RAND_BYTES_CODE); i++) {
        if (i > NV_CALL_AT && i <= NV_CALL_AT + 4) {
            continue;
        }
        if (fn[i] != NV_RAND_BYTES_CODE[i]) {
            return NV_RANDOM_UNEXPECTED_CODE;
        }
    }
    unsigned char *disp = fn + NV_CALL_AT + 1;
    uintptr_t after_call = (uintptr_t) (fn + NV_CALL_AT + 5);
    if (((uintptr_t) disp & 63) > 60) {
        return NV_RANDOM_UNEXPECTED_CODE; /* the displacement straddles a cache line: no atomic store */
    }
    int32_t rel;
    memcpy(&rel, disp, sizeof(rel));
    uintptr_t target = after_call + (intptr_t) rel;
    const unsigned char *stub_code = (const unsigned char *) target;
    if (stub_code[0] == 0x48 && stub_code[1] == 0xb8) {
        uintptr_t to;
        memcpy(&to, stub_code + 2, sizeof(to));
        if (to == (uintptr_t) &nv_rand_bytes) {
            return 0; /* patched before */
        }
    }
    if (nv_rand_sites == NV_RAND_SITES) {
        return NV_RANDOM_NO_STUB;
    }
    void *stub = nv_near_stub(after_call, (uintptr_t) &nv_rand_bytes);
    if (stub == NULL) {
        return NV_RANDOM_NO_STUB;
    }
    nv_real_rand_bytes = (void (*)(uint8_t *, size_t)) target;
    nv_rand_site_return[nv_rand_sites] = after_call;
    nv_rand_site_real[nv_rand_sites] = nv_real_rand_bytes;
    __atomic_store_n(&nv_rand_sites, nv_rand_sites + 1, __ATOMIC_RELEASE);
    int32_t new_rel = (int32_t) ((intptr_t) stub - (intptr_t) after_call);

    long page_size = sysconf(_SC_PAGESIZE);
    uintptr_t page = (uintptr_t) disp & ~((uintptr_t) page_size - 1);
    size_t span = ((uintptr_t) disp + 4 > page + (uintptr_t) page_size) ? 2 * (size_t) page_size
                                                                        : (size_t) page_size;
    int prot = nv_page_prot((uintptr_t) disp);
    if (prot == -1) {
        prot = PROT_READ | PROT_EXEC;
    }
    if (mprotect((void *) page, span, prot | PROT_WRITE) != 0) {
        return NV_RANDOM_MPROTECT;
    }
    __atomic_store_n((int32_t *) disp, new_rel, __ATOMIC_SEQ_CST);
    mprotect((void *) page, span, prot);
    return 1;
}

/* The generator's core, (out, len, additional data), as called by the unpatched call sites. */
static void (*volatile nv_real_rand_bytes_ad)(uint8_t *, size_t, const uint8_t *);
/* The load base of the object whose core calls were redirected; 0 before. */
static uintptr_t nv_core_patched_base;

/* Called instead of the generator's core from every redirected call site. */
static void nv_rand_bytes_ad(uint8_t *out, size_t len, const uint8_t *additional) {
    if (tl_rng == NULL) {
        nv_real_rand_bytes_ad(out, len, additional);
        return;
    }
    nv_rand_bytes(out, len);
}

struct nv_segments_request {
    const char *needle;
    uintptr_t self_base;
    uintptr_t base;
    int objects;
    int count;
    uintptr_t start[8];
    uintptr_t end[8];
};

/* The executable segments of the object matching needle. */
static int nv_segments_callback(struct dl_phdr_info *info, size_t size, void *data) {
    (void) size;
    struct nv_segments_request *req = (struct nv_segments_request *) data;
    uintptr_t base = (uintptr_t) info->dlpi_addr;
    if (base == req->self_base || info->dlpi_name == NULL || strstr(info->dlpi_name, req->needle) == NULL) {
        return 0;
    }
    req->objects++;
    req->base = base;
    req->count = 0;
    for (int i = 0; i < info->dlpi_phnum && req->count < 8; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) != 0) {
            req->start[req->count] = base + ph->p_vaddr;
            req->end[req->count] = base + ph->p_vaddr + ph->p_memsz;
            req->count++;
        }
    }
    return 0;
}

/* Rewrites the 4-byte displacement at disp (one aligned-enough store) to reach stub from after_call. */
static int nv_redirect_call(unsigned char *disp, uintptr_t after_call, uintptr_t stub) {
    int32_t new_rel = (int32_t) ((intptr_t) stub - (intptr_t) after_call);
    long page_size = sysconf(_SC_PAGESIZE);
    uintptr_t page = (uintptr_t) disp & ~((uintptr_t) page_size - 1);
    size_t span = ((uintptr_t) disp + 4 > page + (uintptr_t) page_size) ? 2 * (size_t) page_size
                                                                        : (size_t) page_size;
    int prot = nv_page_prot((uintptr_t) disp);
    if (prot == -1) {
        prot = PROT_READ | PROT_EXEC;
    }
    if (mprotect((void *) page, span, prot | PROT_WRITE) != 0) {
        return NV_RANDOM_MPROTECT;
    }
    __atomic_store_n((int32_t *) disp, new_rel, __ATOMIC_SEQ_CST);
    mprotect((void *) page, span, prot);
    return 0;
}

/*
 * Redirects every direct call (e8 rel32) in the executable segments of the object matching needle whose target is
 * the function at offset 'symbol' (the generator's core) to nv_rand_bytes_ad, through one stub.
 * Returns the number of calls redirected (> 0), 0 when already done, or a negative NV_RANDOM_* reason.
 */
static int nv_patch_random_core(const char *needle, uintptr_t symbol) {
    Dl_info self;
    memset(&self, 0, sizeof(self));
    if (dladdr((void *) &nv_rand_bytes_ad, &self) == 0) {
        self.dli_fbase = NULL;
    }
    struct nv_segments_request req = { .needle = needle, .self_base = (uintptr_t) self.dli_fbase };
    dl_iterate_phdr(nv_segments_callback, &req);
    if (req.objects == 0) {
        return NV_RANDOM_NOT_LOADED;
    }
    if (req.objects > 1) {
        return NV_RANDOM_AMBIGUOUS;
    }
    if (nv_core_patched_base == req.base) {
        return 0;
    }
    uintptr_t target = req.base + symbol;
    /* The core starts by saving its three arguments (push %rbp; mov %rsp,%rbp): anything else is another build. */
    const unsigned char *fn = (const unsigned char *) target;
    if (fn[0] != 0x55 || fn[1] != 0x48 || fn[2] != 0x89 || fn[3] != 0xe5) {
        return NV_RANDOM_UNEXPECTED_CODE;
    }
    /* First pass: every call to the core must be patchable (its displacement within one cache line). */
    int sites = 0;
    for (int s = 0; s < req.count; s++) {
        for (uintptr_t at = req.start[s]; at + 5 <= req.end[s]; at++) {
            const unsigned char *code = (const unsigned char *) at;
            if (code[0] != 0xe8) {
                continue;
            }
            int32_t rel;
            memcpy(&rel, code + 1, sizeof(rel));
            if (at + 5 + (intptr_t) rel != target) {
                continue;
            }
            if (((at + 1) & 63) > 60) {
                return NV_RANDOM_UNEXPECTED_CODE;
            }
            sites++;
        }
    }
    if (sites == 0) {
        return NV_RANDOM_UNEXPECTED_CODE;
    }
    void *stub = nv_near_stub(target, (uintptr_t) &nv_rand_bytes_ad);
    if (stub == NULL) {
        return NV_RANDOM_NO_STUB;
    }
    nv_real_rand_bytes_ad = (void (*)(uint8_t *, size_t, const uint8_t *)) target;
    int patched = 0;
    for (int s = 0; s < req.count; s++) {
        for (uintptr_t at = req.start[s]; at + 5 <= req.end[s]; at++) {
            unsigned char *code = (unsigned char *) at;
            if (code[0] != 0xe8) {
                continue;
            }
            int32_t rel;
            memcpy(&rel, code + 1, sizeof(rel));
            if (at + 5 + (intptr_t) rel != target) {
                continue;
            }
            intptr_t reach = (intptr_t) ((uintptr_t) stub - (at + 5));
            if (reach <= INT32_MIN || reach >= INT32_MAX) {
                return NV_RANDOM_NO_STUB;
            }
            int err = nv_redirect_call(code + 1, at + 5, (uintptr_t) stub);
            if (err != 0) {
                return err;
            }
            patched++;
        }
    }
    nv_core_patched_base = req.base;
    return patched;
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
        .symbol = "clock_gettime",
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

/*
 * Points every gettimeofday and time slot of the objects whose path or soname contains needle at nv_gettimeofday
 * and nv_time: a bound thread's wall clock then reads a fixed date plus virtual time. Returns the number of slots
 * that now point at them, or -1 when no loaded object matched.
 */
JNIEXPORT jint JNICALL
Java_io_nettyvirtual_quic_NativeClockHook_patchWallClock0(JNIEnv *env, jclass cls, jstring needle) {
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
    struct nv_patch_request tod = {
        .needle = chars,
        .symbol = "gettimeofday",
        .self_base = (uintptr_t) self.dli_fbase,
        .replacement = (uintptr_t) &nv_gettimeofday,
    };
    dl_iterate_phdr(nv_patch_callback, &tod);
    struct nv_patch_request t = {
        .needle = chars,
        .symbol = "time",
        .self_base = (uintptr_t) self.dli_fbase,
        .replacement = (uintptr_t) &nv_time,
    };
    if (tod.error == 0) {
        dl_iterate_phdr(nv_patch_callback, &t);
    }
    (*env)->ReleaseStringUTFChars(env, needle, chars);
    int error = tod.error != 0 ? tod.error : t.error;
    if (error != 0) {
        char message[256];
        snprintf(message, sizeof(message), "could not write a wall-clock GOT slot: mprotect: %s", strerror(error));
        nv_throw(env, "java/lang/IllegalStateException", message);
        return -1;
    }
    return tod.objects == 0 ? -1 : tod.slots + t.slots;
}

/* Wall-clock nanoseconds a patched library reads on the calling thread (tests, diagnostics). */
JNIEXPORT jlong JNICALL
Java_io_nettyvirtual_quic_NativeClockHook_wallNanos0(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    struct timeval tv;
    nv_gettimeofday(&tv, NULL);
    return (jlong) tv.tv_sec * NANOS_PER_SECOND + (jlong) tv.tv_usec * 1000;
}

/* The address of an 8-byte aligned direct buffer of at least 8 bytes, or NULL with an exception pending. */
static void *nv_cell_address(JNIEnv *env, jobject buffer, const char *what) {
    void *address = (*env)->GetDirectBufferAddress(env, buffer);
    jlong capacity = (*env)->GetDirectBufferCapacity(env, buffer);
    char message[160];
    if (address == NULL || capacity < 8) {
        snprintf(message, sizeof(message), "the %s must be a direct ByteBuffer of at least 8 bytes", what);
        nv_throw(env, "java/lang/IllegalArgumentException", message);
        return NULL;
    }
    if (((uintptr_t) address & 7) != 0) {
        snprintf(message, sizeof(message),
                 "the %s's address must be 8-byte aligned (use ByteBuffer.allocateDirect)", what);
        nv_throw(env, "java/lang/IllegalArgumentException", message);
        return NULL;
    }
    return address;
}

JNIEXPORT void JNICALL
Java_io_nettyvirtual_quic_NativeClockHook_bind0(JNIEnv *env, jclass cls, jobject cell, jlong base,
                                                jobject rng) {
    (void) cls;
    void *address = nv_cell_address(env, cell, "clock cell");
    if (address == NULL) {
        return;
    }
    void *rng_address = NULL;
    if (rng != NULL && (rng_address = nv_cell_address(env, rng, "random state")) == NULL) {
        return;
    }
    tl_base = (int64_t) base;
    tl_rng = (uint64_t *) rng_address;
    __atomic_store_n(&tl_cell, (const int64_t *) address, __ATOMIC_RELEASE);
}

/* Redirects the quiche library's RAND_bytes; see nv_patch_random. */
JNIEXPORT jint JNICALL
Java_io_nettyvirtual_quic_NativeClockHook_patchRandom0(JNIEnv *env, jclass cls, jstring needle, jlong symbol) {
    (void) cls;
    const char *chars = (*env)->GetStringUTFChars(env, needle, NULL);
    if (chars == NULL) {
        return NV_RANDOM_NOT_LOADED; /* OutOfMemoryError pending */
    }
    int result = nv_patch_random(chars, (uintptr_t) symbol);
    (*env)->ReleaseStringUTFChars(env, needle, chars);
    return result;
}

/* Redirects the direct calls to the generator's core; see nv_patch_random_core. */
JNIEXPORT jint JNICALL
Java_io_nettyvirtual_quic_NativeClockHook_patchRandomCore0(JNIEnv *env, jclass cls, jstring needle, jlong symbol) {
    (void) cls;
    const char *chars = (*env)->GetStringUTFChars(env, needle, NULL);
    if (chars == NULL) {
        return NV_RANDOM_NOT_LOADED; /* OutOfMemoryError pending */
    }
    int result = nv_patch_random_core(chars, (uintptr_t) symbol);
    (*env)->ReleaseStringUTFChars(env, needle, chars);
    return result;
}

/* Fills a buffer the way the patched RAND_bytes would on the calling thread (tests, diagnostics). */
JNIEXPORT void JNICALL
Java_io_nettyvirtual_quic_NativeClockHook_randomBytes0(JNIEnv *env, jclass cls, jobject buffer, jint length) {
    (void) cls;
    uint8_t *out = (uint8_t *) (*env)->GetDirectBufferAddress(env, buffer);
    if (out == NULL || (*env)->GetDirectBufferCapacity(env, buffer) < length || length < 0) {
        nv_throw(env, "java/lang/IllegalArgumentException", "a direct buffer of at least length bytes");
        return;
    }
    if (tl_rng == NULL && nv_real_rand_bytes == NULL) {
        nv_throw(env, "java/lang/IllegalStateException", "the thread has no random state and RAND_bytes is not patched");
        return;
    }
    nv_rand_bytes(out, (size_t) length);
}

JNIEXPORT void JNICALL
Java_io_nettyvirtual_quic_NativeClockHook_unbind0(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    __atomic_store_n(&tl_cell, NULL, __ATOMIC_RELEASE);
    tl_base = 0;
    tl_rng = NULL;
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
