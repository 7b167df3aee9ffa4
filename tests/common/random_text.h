/*
 * Random text for the tests that feed a parser or a scanner text it was not
 * written for: pieces (tokens, openers, partial UTF-8) drawn by a fixed
 * linear congruential generator, so every run sees the same inputs.
 */
#ifndef RP_TEST_RANDOM_TEXT_H
#define RP_TEST_RANDOM_TEXT_H

#include <stddef.h>
#include <string.h>

/* Concatenate up to count pieces drawn with the generator state *x into
 * buf (cap bytes; stops before a piece that would not fit; no NUL is
 * written) and return the length. */
static inline size_t rp_test_random_text(unsigned long *x, const char *const *pieces, size_t np,
                                         int count, char *buf, size_t cap)
{
    size_t n = 0;
    for (int k = 0; k < count; k++) {
        *x = *x * 6364136223846793005ul + 1442695040888963407ul;
        const char *p = pieces[(*x >> 33) % np];
        size_t l = strlen(p);
        if (n + l >= cap)
            break;
        memcpy(buf + n, p, l);
        n += l;
    }
    return n;
}

#endif
