/* A request ready for any transport: the operation's arguments checked and encoded into
 * method, URL and body. Sans I/O: nothing here sends anything. */
#ifndef LWA_REQUEST_H
#define LWA_REQUEST_H

#include "lwa_client.h"
#include "lwa_error.h"
#include "wa_http.h"
#include "wa_ops.h"

/* messaging_product, the text fields of an update, the picture. */
#define LWA_MAX_PARTS 4

typedef struct lwa_request {
    const wa_op *op;
    lwa_context cx;          /* operation, method, path, secret to redact */
    wa_http_request http;    /* points into the table prepare pushes */
    wa_http_part parts[LWA_MAX_PARTS];
} lwa_request;

/* The operation named by the string at idx, or at that place (from 1) in OPERATIONS;
 * raises for an unknown one. */
const wa_op *lwa_request_op(lua_State *L, int idx);

/* Checks the method's arguments (stack index base on: the group id, then the argument
 * table or message) and fills rq, whose errors redact c's token; pushes one table that keeps
 * alive every string rq points into. Values above the arguments are dropped. Raises a
 * validation error before any I/O. */
void lwa_request_prepare(lua_State *L, const lwa_client *c, const wa_op *op, int base,
                         lwa_request *rq);

#endif
