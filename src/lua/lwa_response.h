/* A finished exchange -> the result table, or the error object. Transport-free: any
 * transport that can fill a wa_http_response gets the same interpretation. */
#ifndef LWA_RESPONSE_H
#define LWA_RESPONSE_H

#include "lwa_error.h"
#include "wa_http.h"
#include "wa_ops.h"
#include "wa_verdict.h"

/* Pushes the decoded answer (verdict kind OK) or the error object the exchange came to,
 * without raising it; the verdict says which, and whether a retry may help. Both carry
 * `usage` when Meta sent its usage headers. *server_wait is the wait in seconds that
 * Retry-After or the usage headers ask for (-1: none). */
wa_verdict lwa_response_settle(lua_State *L, const wa_op *op, const lwa_context *cx,
                               const wa_http_response *rs, size_t max_response,
                               double *server_wait);

#endif
