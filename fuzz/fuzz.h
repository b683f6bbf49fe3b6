/* Shared by the fuzz targets: a property check that libFuzzer reports as a crash, and a
 * reader that hands out the input piece by piece. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken property aborts: libFuzzer then saves the input as a crash. */
#define FUZZ_CHECK(cond, what)                                                         \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: property failed: %s (%s)\n", __FILE__, __LINE__, \
                    what, #cond);                                                      \
            abort();                                                                   \
        }                                                                              \
    } while (0)

typedef struct fuzz_input {
    const uint8_t *p;
    size_t n;
} fuzz_input;

/* One byte, 0 once the input is used up. */
static inline unsigned fuzz_byte(fuzz_input *in)
{
    unsigned b = 0;
    if (in->n > 0) {
        b = in->p[0];
        in->p++;
        in->n--;
    }
    return b;
}

/* The next n bytes (fewer at the end) as a number, little-endian. */
static inline uint64_t fuzz_bits(fuzz_input *in, unsigned n)
{
    uint64_t v = 0;
    unsigned i;
    for (i = 0; i < n; i++)
        v |= (uint64_t)fuzz_byte(in) << (8 * i);
    return v;
}

#endif
