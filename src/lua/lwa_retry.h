/* Retry settings from Lua: the client's defaults, per-call overrides, the on_retry hook. */
#ifndef LWA_RETRY_H
#define LWA_RETRY_H

#include "lwa_args.h"
#include "wa_retry.h"

/* Reads `retries` and `backoff` ({base, cap, jitter, max_wait}) from the table behind a into p;
 * absent keys leave p as it was. Raises a validation error naming the key. */
void lwa_retry_read(const lwa_args *a, wa_retry_policy *p);

#endif
