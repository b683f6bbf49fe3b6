/* A finished exchange -> the result table, or a raised error object. */
#ifndef LWA_RESPONSE_H
#define LWA_RESPONSE_H

#include "lwa_error.h"
#include "wa_http.h"
#include "wa_ops.h"

/* Pushes the decoded answer and returns 1, or raises the error the exchange came to. */
int lwa_response_finish(lua_State *L, const wa_op *op, const lwa_context *cx,
                        const wa_http_response *rs, size_t max_response);

#endif
