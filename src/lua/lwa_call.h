/* A call: one operation's checked request and its attempt state, made once by prepare
 * and carried by the one attempt loop (whatsapp.groups.call) through any carrier:
 * libcurl's easy handle (perform), a transport function (request, then record), or the
 * pump's multi handle (lwa_async). settle turns each attempt's answer into the result,
 * the error, or the wait before the next attempt, and tells the client's hooks. */
#ifndef LWA_CALL_H
#define LWA_CALL_H

#include "lwa_client.h"
#include "lwa_request.h"
#include "wa_retry.h"

#define LWA_CALL_MT "whatsapp.groups.Call"

typedef struct lwa_call lwa_call;

struct lwa_call {
    lwa_client *client;          /* valid while the call lives: its user value holds it */
    lwa_request rq;              /* its strings live in the call's user value */
    wa_retry_policy policy;
    size_t max_response;
    double started;              /* when its first attempt began: max_elapsed counts from it */
    int timed;                   /* the clock is read: for on_attempt or max_elapsed */
    double attempt_started;      /* when the current attempt was handed to its carrier */
    wa_http_response *rs;        /* the current attempt's answer, in its carrier's buffer */
    int answered;                /* rs (or a carrier's error) holds this attempt's answer */
    int from_client;             /* rs.body is in the client's libcurl buffer */
    int carrier_error;           /* the carrier gave an error object of its own instead */
    int has_body;                /* the user value holds a transport's body */
    wa_outcome outcome;          /* what the last settled attempt came to */
    void *carrier;               /* the pump's hold on the call while it has one, or NULL */
};

/* Adds prepare (and the call's metatable) to the module table at the top. */
void lwa_call_open(lua_State *L);
lwa_call *lwa_call_check(lua_State *L, int idx);
/* Marks the start of an attempt, to begin after delay seconds; the first one starts the
 * call's clock (max_elapsed). */
void lwa_call_begin(lwa_call *call, double delay);
/* Makes the error object at the top (popped) this attempt's answer: settle returns it
 * as it is, and the call is not sent again. idx: the call's stack index. */
void lwa_call_keep_error(lua_State *L, lwa_call *call, int idx);
/* Pushes the error a call gets when its client or pump is closed before it ended;
 * queued: its current attempt was never handed to libcurl. */
void lwa_call_push_closed(lua_State *L, const lwa_call *call, const char *what, int queued);

#endif
