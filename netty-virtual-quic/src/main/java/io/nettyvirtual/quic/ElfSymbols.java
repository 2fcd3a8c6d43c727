package io.nettyvirtual.quic;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Looks up a function in the static symbol table ({@code .symtab}) of an ELF64 little-endian shared object: where
 * the dynamic symbol table does not list it because it is local to the library, as BoringSSL's {@code RAND_bytes}
 * is inside the QUIC codec's native library. The loaded copy of the library is usually deleted from disk by
 * Netty's loader, so the bytes come from the jar it was extracted from.
 */
final class ElfSymbols {
    private static final int SHT_SYMTAB = 2;
    private static final int STT_FUNC = 2;

    private ElfSymbols() {}

    /**
     * Returns the value (the address relative to the load base) of the function {@code name}, or {@code -1} if the
     * object has no symbol table or no such function.
     *
     * @throws IllegalArgumentException if {@code elf} is not an ELF64 little-endian object
     */
    static long function(byte[] elf, String name) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.length < 64 || b.getInt(0) != 0x464c457f || elf[4] != 2 || elf[5] != 1) {
            throw new IllegalArgumentException("not an ELF64 little-endian object");
        }
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
        int shnum = Short.toUnsignedInt(b.getShort(0x3c));
        byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < shnum; i++) {
            int sh = Math.toIntExact(shoff + (long) i * shentsize);
            if (b.getInt(sh + 4) != SHT_SYMTAB) {
                continue;
            }
            int symOffset = Math.toIntExact(b.getLong(sh + 0x18));
            long symSize = b.getLong(sh + 0x20);
            int link = b.getInt(sh + 0x28);
            long entSize = b.getLong(sh + 0x38);
            int strSh = Math.toIntExact(shoff + (long) link * shentsize);
            int strOffset = Math.toIntExact(b.getLong(strSh + 0x18));
            for (long s = 0; s + entSize <= symSize; s += entSize) {
                int sym = Math.toIntExact(symOffset + s);
                if ((elf[sym + 4] & 0xf) != STT_FUNC) {
                    continue;
                }
                if (nameIs(elf, strOffset + b.getInt(sym), wanted)) {
                    return b.getLong(sym + 8);
                }
            }
        }
        return -1;
    }

    private static boolean nameIs(byte[] elf, int at, byte[] wanted) {
        if (at + wanted.length >= elf.length) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (elf[at + i] != wanted[i]) {
                return false;
            }
        }
        return elf[at + wanted.length] == 0;
    }
}
