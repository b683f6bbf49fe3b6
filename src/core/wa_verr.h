/* A validation failure: which field, and why, in words a caller can act on. */
#ifndef WA_VERR_H
#define WA_VERR_H

#include <stdarg.h>

typedef struct wa_verr {
    const char *field; /* static string; NULL when the failure is not about one field */
    char reason[160];
} wa_verr;

/* Fills e and returns -1, so checks can `return wa_verr_set(...)`. */
int wa_verr_set(wa_verr *e, const char *field, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
