/*
 * redpen core: tests of eight bytes at a time ("SWAR"), for the scanners
 * that pass over long runs of plain text (the JSON writer's escaper, the
 * text check, the hidden-markup stripper, the reader of saved reports).
 * A word is loaded with rp_load8(), its lowest byte the first in memory on
 * any machine; each test returns a mask with the high bit of a byte set
 * where the byte may match, and is exact about whether any byte matches:
 *
 *   (x - 0x0101..) & ~x & 0x8080..  is non-zero exactly when a byte of x is
 *   0 (a borrow starts only at a zero byte), and with n * 0x0101.. for
 *   0x0101.. exactly when a byte is below n (n <= 128).
 *
 * About which byte, the mask is exact for the lowest flagged byte only: a
 * borrow runs upwards from a matching byte, so bytes above it may be
 * flagged as well.  rp_first_flagged() gives the index of the lowest.
 */
#ifndef REDPEN_BYTES_H
#define REDPEN_BYTES_H

#include <stdint.h>
#include <string.h>

#define RP_BYTES_ONES 0x0101010101010101ULL
#define RP_BYTES_HIGHS 0x8080808080808080ULL

/* The 8 bytes at p as a word whose lowest byte is p[0]. */
static inline uint64_t rp_load8(const void *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/* Some byte of w is below n (1 <= n <= 128; n = 1: a byte is 0). */
static inline uint64_t rp_bytes_below(uint64_t w, unsigned char n)
{
    return (w - RP_BYTES_ONES * n) & ~w & RP_BYTES_HIGHS;
}

/* Some byte of w is c. */
static inline uint64_t rp_bytes_eq(uint64_t w, unsigned char c)
{
    return rp_bytes_below(w ^ (RP_BYTES_ONES * c), 1);
}

/* Some byte of w is 0x80 or above (not ASCII). */
static inline uint64_t rp_bytes_high(uint64_t w)
{
    return w & RP_BYTES_HIGHS;
}

/* The index (0..7) of the lowest flagged byte of a non-zero mask m. */
static inline unsigned rp_first_flagged(uint64_t m)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctzll(m) / 8;
#else
    unsigned b = 0;
    while (!(m & 0x80))
        m >>= 8, b++;
    return b;
#endif
}

#endif
