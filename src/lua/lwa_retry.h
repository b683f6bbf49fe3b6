/* Retry settings from Lua: the client's defaults, per-call overrides, the on_retry hook. */
#ifndef LWA_RETRY_H
#define LWA_RETRY_H

#include "lwa_args.h"
#include "lwa_client.h"
#include "wa_ops.h"
#include "wa_retry.h"

/* Reads `retries` and `backoff` ({base, cap, jitter, max_wait, max_elapsed}) from the table
 * behind a into p; absent keys leave p as it was. Raises a validation error naming the key. */
void lwa_retry_read(const lwa_args *a, wa_retry_policy *p);

/* The call options at stack index at (after a method's arguments): {retries, backoff}
 * for this call, read into p; nil leaves p as it is. */
void lwa_retry_call_options(lua_State *L, const wa_op *op, int at, wa_retry_policy *p);

/* Uniform in [0, 1), for jitter: xorshift over *state. */
double lwa_retry_random(unsigned long *state);

/* Pushes the on_retry hook (registry reference hook) and the table it receives:
 * {operation, attempt, delay, error}, the error object being at the absolute stack index
 * err. Returns 0 and pushes nothing when there is no hook (LUA_NOREF). */
int lwa_retry_push_hook(lua_State *L, int hook, const char *operation, int attempt,
                        double delay, int err);

/* Tells the client's on_retry hook about a retry, the error object being at the top of
 * the stack. The hook's own errors propagate. */
void lwa_retry_notify(lua_State *L, const lwa_client *c, const char *operation, int attempt,
                      double delay);

/* The policy as numbers in the table at the top (for a prepared request), and back. */
void lwa_retry_store(lua_State *L, const wa_retry_policy *p);
void lwa_retry_load(lua_State *L, int request, const lwa_client *c, wa_retry_policy *p);

#endif
