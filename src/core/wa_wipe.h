/* Wiping secrets (tokens) from memory before it is freed. */
#ifndef WA_WIPE_H
#define WA_WIPE_H

#include <stddef.h>

/* Overwrites n bytes with zeros in a way the compiler may not optimise away. */
void wa_wipe(void *p, size_t n);

#endif
