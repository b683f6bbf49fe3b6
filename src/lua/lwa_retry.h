/* Retry settings from Lua: the client's defaults and per-call overrides. */
#ifndef LWA_RETRY_H
#define LWA_RETRY_H

#include "lwa_args.h"
#include "wa_ops.h"
#include "wa_retry.h"

/* Reads `retries` and `backoff` ({base, cap, jitter, max_wait, max_elapsed}) from the table
 * behind a into p; absent keys leave p as it was. Raises a validation error naming the key. */
void lwa_retry_read(const lwa_args *a, wa_retry_policy *p);

/* The call options at stack index at (after a method's own arguments): {retries, backoff}
 * for this call, read into p; nil leaves p as it is. */
void lwa_retry_call_options(lua_State *L, const wa_op *op, int at, wa_retry_policy *p);

/* Uniform in [0, 1), for jitter: xorshift over *state. */
double lwa_retry_random(unsigned long *state);

#endif
