/* The client's token, shared by the client and its calls: a call that outlives its
 * client's close still redacts with it, and it is wiped once the last holder lets go. */
#ifndef LWA_SECRET_H
#define LWA_SECRET_H

#include <stddef.h>

typedef struct lwa_secret {
    int refs;
    size_t len;
    char text[]; /* NUL-terminated */
} lwa_secret;

/* A copy of s with one reference, or NULL when memory ran out. */
lwa_secret *lwa_secret_new(const char *s, size_t len);
lwa_secret *lwa_secret_retain(lwa_secret *secret);
/* Drops a reference; the last one wipes and frees it. NULL is ignored. */
void lwa_secret_release(lwa_secret *secret);

#endif
