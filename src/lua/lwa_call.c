#include "lwa_call.h"

#include <string.h>

#include "lwa_error.h"
#include "lwa_response.h"
#include "lwa_retry.h"
#include "lwa_transport.h"
#include "wa_clock.h"

/* A call's user value is the table that keeps its request's strings alive (at 1..n);
 * below 0 it holds: */
enum {
    LWA_CALL_CLIENT = -1,     /* the client: its settings, carrier and hooks */
    LWA_CALL_BODY = -2,       /* a transport's answer body, while it is settled */
    LWA_CALL_ERROR = -3,      /* a carrier's own error object for this attempt */
    LWA_CALL_HOOK_ERRORS = -4 /* what the hooks raised, a list */
};

lwa_call *lwa_call_check(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, LWA_CALL_MT);
}

void lwa_call_begin(lwa_call *call, double delay)
{
    if (!call->timed)
        return;
    call->attempt_started = wa_now() + delay;
    if (call->rq.cx.attempts == 0)
        call->started = call->attempt_started;
}

/* Where a call's arguments start on prepare's stack: the client, the call, then them. */
#define LWA_CALL_BASE 3

/* Where the call options go: after the method's own arguments (the group id, then the
 * argument table or message when the operation takes one). */
static int lwa_call_options_at(const wa_op *op)
{
    int takes_args = op->fields[0].name != NULL || op->payload == WA_SEND_MESSAGE;
    return LWA_CALL_BASE + (op->on != WA_ON_PHONE) + takes_args;
}

/* prepare(client, operation, arguments..., [call options]) -> call, the client's
 * transport function (nil: libcurl) and its pacer (or nil). Everything is read raw and
 * checked here, before any I/O; what is sent is what was checked. */
static int lwa_call_prepare(lua_State *L)
{
    const wa_op *op = lwa_request_op(L, 2);
    lwa_client *c = lwa_client_check_open(L, 1, op->name);
    int at = lwa_call_options_at(op);
    lwa_call *call = lua_newuserdata(L, sizeof *call);

    memset(call, 0, sizeof *call);
    call->policy = c->retry;
    call->outcome = WA_OUTCOME_NOT_SENT;
    luaL_getmetatable(L, LWA_CALL_MT);
    lua_setmetatable(L, -2);
    lua_replace(L, 2);       /* in the operation name's place */
    lwa_retry_call_options(L, op, at, &call->policy);
    lua_settop(L, at - 1);
    lwa_request_prepare(L, c, op, LWA_CALL_BASE, &call->rq);
    call->max_response = c->max_response;
    call->client = c;
    call->timed = LWA_CLIENT_HAS(c, LWA_CLIENT_ON_ATTEMPT) || call->policy.max_elapsed > 0;
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, LWA_CALL_CLIENT);
    lwa_setuservalue(L, 2);
    lua_settop(L, 2);
    if (!LWA_CLIENT_HAS(c, LWA_CLIENT_TRANSPORT) && !LWA_CLIENT_HAS(c, LWA_CLIENT_PACER))
        return 1;
    lwa_client_push(L, 1, LWA_CLIENT_TRANSPORT);
    lwa_client_push(L, 1, LWA_CLIENT_PACER);
    return 3;
}

void lwa_call_keep_error(lua_State *L, lwa_call *call, int idx)
{
    lwa_getuservalue(L, idx);
    lua_insert(L, -2);
    lua_rawseti(L, -2, LWA_CALL_ERROR);
    lua_pop(L, 1);
    call->answered = 1;
    call->from_client = 0;
    call->carrier_error = 1;
    call->rs = NULL;
}

void lwa_call_push_closed(lua_State *L, const lwa_call *call, const char *what, int queued)
{
    wa_outcome outcome = queued ? call->outcome : WA_OUTCOME_UNKNOWN;

    lwa_error_new(L, &call->rq.cx, WA_KIND_NETWORK);
    lua_pushfstring(L, "the %s was closed before the call finished", what);
    lua_setfield(L, -2, "message");
    lua_pushstring(L, wa_outcome_name(outcome));
    lua_setfield(L, -2, "outcome");
    lwa_error_set_boolean(L, "retryable",
                          outcome == WA_OUTCOME_NOT_SENT ||
                              (call->rq.op->flags & WA_OP_IDEMPOTENT) != 0);
}

/* perform(call, delay): the client's own libcurl carrier: waits delay seconds, then
 * carries the attempt through the client's easy handle. */
static int lwa_call_perform(lua_State *L)
{
    lwa_call *call = lwa_call_check(L, 1);
    lwa_client *c = call->client;
    double delay = luaL_optnumber(L, 2, 0);

    if (delay > 0)
        wa_sleep(delay);
    lwa_call_begin(call, 0);
    if (c->http == NULL) {
        lwa_call_push_closed(L, call, "client", 1);
        lwa_call_keep_error(L, call, 1);
        return 0;
    }
    call->rs = &c->answer;
    wa_http_perform(c->http, &call->rq.http, call->rs);
    call->answered = 1;
    call->from_client = 1;
    return 0;
}

/* call:request() -> the request table for a transport function, or nil when the client
 * was closed meanwhile (the call then records why). */
static int lwa_call_request(lua_State *L)
{
    lwa_call *call = lwa_call_check(L, 1);
    lwa_client *c = call->client;

    lwa_call_begin(call, 0);
    if (c->http == NULL) {
        lwa_call_push_closed(L, call, "client", 1);
        lwa_call_keep_error(L, call, 1);
        return 0;
    }
    lwa_transport_push_request(L, &call->rq, c);
    return 1;
}

/* call:record(status, headers, body) or (nil, message, how) or (nil, error object): a
 * transport's answer to this attempt. */
static int lwa_call_record(lua_State *L)
{
    lwa_call *call = lwa_call_check(L, 1);
    lwa_client *c = call->client;

    lua_settop(L, 4);
    if (lua_isnil(L, 2) && lwa_error_is(L, 3)) {
        lua_pushvalue(L, 3);
        lwa_call_keep_error(L, call, 1);
        return 0;
    }
    call->rs = &c->answer;
    lwa_transport_read_answer(L, 2, call->max_response, call->rs);
    lwa_getuservalue(L, 1);
    lua_pushvalue(L, 4);
    lua_rawseti(L, -2, LWA_CALL_BODY); /* rs.body points into it until settled */
    call->has_body = 1;
    call->answered = 1;
    call->from_client = 0;
    return 0;
}

/* call:describe() -> {operation, method, path, attempts = 1}: what a pacer reads. */
static int lwa_call_describe(lua_State *L)
{
    lwa_call *call = lwa_call_check(L, 1);

    lua_createtable(L, 0, 4);
    lua_pushstring(L, call->rq.cx.operation);
    lua_setfield(L, -2, "operation");
    lua_pushstring(L, call->rq.cx.method);
    lua_setfield(L, -2, "method");
    lwa_error_set_string(L, &call->rq.cx, "path", call->rq.cx.path, strlen(call->rq.cx.path));
    lua_pushinteger(L, call->rq.cx.attempts + 1);
    lua_setfield(L, -2, "attempts");
    return 1;
}

/* call:closed(what) -> the error a call waiting for its next attempt gets when its client
 * or pump ("client", "pump") is closed. */
static int lwa_call_closed(lua_State *L)
{
    lwa_call_push_closed(L, lwa_call_check(L, 1), luaL_checkstring(L, 2), 1);
    return 1;
}

/* call:protocol_error(message) -> the error object for an answer whose shape the client
 * cannot read: its outcome is unknown, and it is not sent again. */
static int lwa_call_protocol_error(lua_State *L)
{
    lwa_call *call = lwa_call_check(L, 1);
    size_t len;
    const char *msg = luaL_checklstring(L, 2, &len);

    lwa_error_new(L, &call->rq.cx, WA_KIND_PROTOCOL);
    lwa_error_set_string(L, &call->rq.cx, "message", msg, len);
    lua_pushstring(L, wa_outcome_name(WA_OUTCOME_UNKNOWN));
    lua_setfield(L, -2, "outcome");
    lwa_error_set_boolean(L, "retryable", 0);
    return 1;
}

/* ---- settling ------------------------------------------------------------------------ */

/* What one attempt came to, as settle tells the hooks. */
typedef struct lwa_attempt {
    wa_verdict verdict;
    int value;                   /* stack index of the result or the error */
    double duration;
    double delay;                /* >= 0: the call is sent again after this wait */
} lwa_attempt;

/* Calls the function below its argument at the top, protected; what it raises goes to
 * the call's hook errors (user value at uv), and the call goes on. */
static void lwa_call_hook(lua_State *L, int uv)
{
    if (lua_pcall(L, 1, 0, 0) == 0)
        return;
    lua_rawgeti(L, uv, LWA_CALL_HOOK_ERRORS);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawseti(L, uv, LWA_CALL_HOOK_ERRORS);
    }
    lua_insert(L, -2);
    lua_rawseti(L, -2, (int)lwa_rawlen(L, -2) + 1);
    lua_pop(L, 1);
}

/* Pushes the client's hook in slot, or returns 0 when it has none. */
static int lwa_call_push_hook(lua_State *L, const lwa_call *call, int uv, int slot)
{
    if (!LWA_CLIENT_HAS(call->client, slot))
        return 0;
    lua_rawgeti(L, uv, LWA_CALL_CLIENT);
    lwa_client_push(L, -1, slot);
    lua_remove(L, -2);
    if (lua_isfunction(L, -1))
        return 1;
    lua_pop(L, 1);
    return 0;
}

static void lwa_call_set_header(lua_State *L, const lwa_call *call, const char *key,
                                const char *value)
{
    if (value[0] != '\0')
        lwa_error_set_string(L, &call->rq.cx, key, value, strlen(value));
}

/* on_attempt{operation, attempt, method, path, status, duration, outcome, fbtrace_id,
 * api_version, usage, error}, once each attempt ends. */
static void lwa_call_tell_attempt(lua_State *L, const lwa_call *call, int uv,
                                  const lwa_attempt *a)
{
    const lwa_context *cx = &call->rq.cx;
    int failed = a->verdict.kind != WA_KIND_OK, answered = call->rs != NULL && call->rs->status > 0;

    if (!lwa_call_push_hook(L, call, uv, LWA_CLIENT_ON_ATTEMPT))
        return;
    lua_createtable(L, 0, 11);
    lua_pushstring(L, cx->operation);
    lua_setfield(L, -2, "operation");
    lua_pushinteger(L, cx->attempts);
    lua_setfield(L, -2, "attempt");
    lua_pushstring(L, cx->method);
    lua_setfield(L, -2, "method");
    lwa_error_set_string(L, cx, "path", cx->path, strlen(cx->path));
    if (answered)
        lua_pushinteger(L, call->rs->status);
    else
        lua_pushnil(L);
    lua_setfield(L, -2, "status");
    lua_pushnumber(L, a->duration);
    lua_setfield(L, -2, "duration");
    lua_pushstring(L, wa_outcome_name(a->verdict.outcome));
    lua_setfield(L, -2, "outcome");
    if (failed)
        lua_getfield(L, a->value, "fbtrace_id");
    else
        lua_pushnil(L);
    if (lua_isnil(L, -1) && answered) {
        lua_pop(L, 1);
        lwa_call_set_header(L, call, "fbtrace_id", call->rs->headers.trace_id);
    } else
        lua_setfield(L, -2, "fbtrace_id");
    if (answered)
        lwa_call_set_header(L, call, "api_version", call->rs->headers.api_version);
    if (lua_istable(L, a->value)) {
        lua_getfield(L, a->value, "usage");
        lua_setfield(L, -2, "usage");
    }
    if (failed) {
        lua_pushvalue(L, a->value);
        lua_setfield(L, -2, "error");
    }
    lwa_call_hook(L, uv);
}

/* on_retry{operation, attempt, delay, error}, before each retry. */
static void lwa_call_tell_retry(lua_State *L, const lwa_call *call, int uv,
                                const lwa_attempt *a)
{
    if (!lwa_call_push_hook(L, call, uv, LWA_CLIENT_ON_RETRY))
        return;
    lua_createtable(L, 0, 4);
    lua_pushstring(L, call->rq.cx.operation);
    lua_setfield(L, -2, "operation");
    lua_pushinteger(L, call->rq.cx.attempts);
    lua_setfield(L, -2, "attempt");
    lua_pushnumber(L, a->delay);
    lua_setfield(L, -2, "delay");
    lua_pushvalue(L, a->value);
    lua_setfield(L, -2, "error");
    lwa_call_hook(L, uv);
}

/* Pushes this attempt's result or error; the carrier's own error when it gave one. */
static wa_verdict lwa_call_answer(lua_State *L, lwa_call *call, lwa_client *c, int uv,
                                  double *server_wait)
{
    wa_verdict v = {WA_KIND_NETWORK, WA_OUTCOME_UNKNOWN, 0};

    *server_wait = -1;
    if (call->carrier_error) { /* final, whatever it says */
        call->carrier_error = 0;
        lua_rawgeti(L, uv, LWA_CALL_ERROR);
        lua_pushnil(L);
        lua_rawseti(L, uv, LWA_CALL_ERROR);
        lwa_error_set_number(L, "attempts", call->rq.cx.attempts);
        lua_getfield(L, -1, "outcome");
        if (lua_isstring(L, -1) && strcmp(lua_tostring(L, -1), "not_sent") == 0)
            v.outcome = WA_OUTCOME_NOT_SENT;
        lua_pop(L, 1);
        return v;
    }
    if (call->from_client && c->http == NULL) { /* its buffer went with the client */
        lwa_call_push_closed(L, call, "client", !call->rs->request_sent);
        return v;
    }
    v = lwa_response_settle(L, call->rq.op, &call->rq.cx, call->rs, call->max_response,
                            server_wait);
    if (call->has_body) {
        call->has_body = 0;
        lua_pushnil(L);
        lua_rawseti(L, uv, LWA_CALL_BODY);
    }
    return v;
}

/* Sets hook_errors on the result or error at idx when a hook raised. */
static void lwa_call_attach_hook_errors(lua_State *L, int uv, int idx)
{
    lua_rawgeti(L, uv, LWA_CALL_HOOK_ERRORS);
    if (!lua_isnil(L, -1) && lua_istable(L, idx))
        lua_setfield(L, idx, "hook_errors");
    else
        lua_pop(L, 1);
}

/* call:settle() -> result | nil, err | nil, err, seconds to wait before the next attempt
 * (the on_retry hook has been told). */
static int lwa_call_settle(lua_State *L)
{
    lwa_call *call = lwa_call_check(L, 1);
    lwa_client *c = call->client;
    double server_wait;
    lwa_attempt a;
    int uv, refused;

    luaL_argcheck(L, call->answered, 1, "no attempt was carried");
    lua_settop(L, 1);
    lwa_getuservalue(L, 1);
    uv = lua_gettop(L);
    call->answered = 0;
    refused = call->carrier_error; /* a carrier's own refusal sent nothing: no attempt */
    if (!refused)
        call->rq.cx.attempts++;
    a.verdict = lwa_call_answer(L, call, c, uv, &server_wait);
    a.value = lua_gettop(L);
    a.duration = call->timed ? wa_now() - call->attempt_started : 0;
    a.delay = -1;
    call->outcome = a.verdict.outcome;
    if (a.verdict.kind == WA_KIND_OK && lua_istable(L, a.value)) {
        lua_pushinteger(L, call->rq.cx.attempts);
        lua_setfield(L, a.value, "attempts");
    } else if (a.verdict.kind != WA_KIND_OK)
        a.delay = wa_retry_delay(&call->policy, call->rq.cx.attempts,
                                 call->timed ? wa_now() - call->started : 0, &a.verdict,
                                 server_wait, lwa_retry_random(&c->random));
    if (!refused)
        lwa_call_tell_attempt(L, call, uv, &a);
    call->rs = NULL; /* its carrier may reuse the buffer from now on */
    if (a.delay >= 0) {
        lwa_call_tell_retry(L, call, uv, &a);
        lua_pushnil(L);
        lua_pushvalue(L, a.value);
        lua_pushnumber(L, a.delay);
        return 3;
    }
    lwa_call_attach_hook_errors(L, uv, a.value);
    lua_settop(L, a.value);
    if (a.verdict.kind == WA_KIND_OK)
        return 1;
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
}

void lwa_call_open(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"request", lwa_call_request},
        {"record", lwa_call_record},
        {"settle", lwa_call_settle},
        {"protocol_error", lwa_call_protocol_error},
        {"describe", lwa_call_describe},
        {"closed", lwa_call_closed},
        {NULL, NULL},
    };
    luaL_newmetatable(L, LWA_CALL_MT);
    lua_pushliteral(L, LWA_CALL_MT);
    lua_setfield(L, -2, "__name");
    lua_newtable(L);
    lwa_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    lua_pushcfunction(L, lwa_call_prepare);
    lua_setfield(L, -2, "prepare");
    lua_pushcfunction(L, lwa_call_perform); /* the loop's carrier and step, as locals */
    lua_setfield(L, -2, "perform");
    lua_pushcfunction(L, lwa_call_settle);
    lua_setfield(L, -2, "settle");
}
