/*
 * A stand-in for Windows' bcryptprimitives.dll, for running the Windows build under Wine 8.0
 * (Debian 12), which has no bcryptprimitives.dll at all. Rust's standard library imports
 * ProcessPrng from it on Windows since Rust 1.78 (random seeds for HashMap), so without this
 * DLL no Rust program starts under that Wine. CI only; never shipped.
 *
 * ProcessPrng fills a buffer with random bytes and always returns TRUE (documented at
 * https://learn.microsoft.com/windows/win32/seccng/processprng). It is forwarded to
 * SystemFunction036 (RtlGenRandom, advapi32), which Wine 8.0 has, in pieces of at most
 * ULONG_MAX bytes because RtlGenRandom's length is a ULONG.
 *
 * Built by .ci/wine/setup:
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c \
 *       bcryptprimitives.def -ladvapi32
 */
#include <limits.h>
#include <windows.h>

/* RtlGenRandom's real name: advapi32 exports it as SystemFunction036. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG piece = length > (SIZE_T)ULONG_MAX ? ULONG_MAX : (ULONG)length;
        if (!SystemFunction036(data, piece)) {
            /* The real ProcessPrng cannot fail; a stand-in that could must not return
               unrandom bytes as random. */
            ExitProcess(0xC0000001); /* STATUS_UNSUCCESSFUL */
        }
        data += piece;
        length -= piece;
    }
    return TRUE;
}
