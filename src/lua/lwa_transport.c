#include "lwa_transport.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lwa_client.h"
#include "lwa_request.h"
#include "lwa_response.h"
#include "lwa_retry.h"
#include "lwa_table.h"
#include "wa_clock.h"
#include "wa_multipart.h"

/* Pushes the multipart encoding of rq's parts, then its Content-Type. */
static void lwa_transport_multipart(lua_State *L, const lwa_request *rq)
{
    char boundary[WA_BOUNDARY_SIZE];
    wa_buf body;
    int bad;

    wa_buf_init(&body, (size_t)8 * 1024 * 1024);
    bad = wa_multipart_encode(&body, boundary, rq->http.parts, rq->http.nparts);
    if (!bad)
        lua_pushlstring(L, body.data, body.len);
    wa_buf_free(&body); /* freed before any raise */
    if (bad)
        luaL_error(L, "multipart body too large");
    lua_pushfstring(L, "multipart/form-data; boundary=%s", boundary);
}

/* Pushes the headers; the Content-Type is the value at ctype (nil: no body). */
static void lwa_transport_headers(lua_State *L, const lwa_client *c, int ctype)
{
    lua_createtable(L, 0, 4);
    lua_pushliteral(L, "Bearer ");
    lua_pushlstring(L, c->token, c->token_len);
    lua_concat(L, 2);
    lua_setfield(L, -2, "Authorization");
    lwa_set_string(L, "Accept", "application/json");
    lwa_set_string(L, "User-Agent", c->user_agent);
    lua_pushvalue(L, ctype);
    lua_setfield(L, -2, "Content-Type");
}

/* prepare(client, operation, ...) -> request {method, url, headers, body, operation,
 * path_at, timeout, connect_timeout}; raises a validation error before any I/O. The
 * request carries the Authorization header: hand it only to the transport. */
static int lwa_transport_prepare(lua_State *L)
{
    const wa_op *op = lwa_request_op(L, 2);
    lwa_client *c = lwa_client_check_open(L, 1, op->name);
    lwa_request rq;
    wa_retry_policy policy;
    int request;

    lua_remove(L, 2); /* the method's arguments start at 2, as for a method call */
    policy = c->retry;
    lwa_retry_call_options(L, op, op->on == WA_ON_PHONE ? 3 : 4, &policy);
    lwa_request_prepare(L, c, op, &rq);
    lua_createtable(L, 0, 14);
    request = lua_gettop(L);
    lwa_retry_store(L, &policy);
    lwa_set_string(L, "method", rq.http.method);
    lwa_set_string(L, "url", rq.http.url);
    lwa_set_string(L, "operation", op->name);
    lwa_set_number(L, "path_at", (lua_Number)(rq.cx.path - rq.http.url));
    lwa_set_number(L, "timeout", c->timeout);
    lwa_set_number(L, "connect_timeout", c->connect_timeout);
    lwa_set_number(L, "started", wa_now()); /* backoff.max_elapsed counts from here */
    if (rq.http.nparts > 0)
        lwa_transport_multipart(L, &rq);
    else if (rq.http.body != NULL) {
        lua_pushlstring(L, rq.http.body, rq.http.body_len);
        lua_pushliteral(L, "application/json");
    } else {
        lua_pushnil(L);
        lua_pushnil(L);
    }
    lwa_transport_headers(L, c, lua_gettop(L));
    lua_setfield(L, request, "headers");
    lua_pop(L, 1);
    lua_setfield(L, request, "body");
    return 1;
}

static void lwa_transport_failure(lua_State *L, wa_http_response *rs)
{
    const char *how = luaL_optstring(L, 5, "failed");

    rs->transfer = strcmp(how, "timeout") == 0 ? WA_TRANSFER_TIMEOUT : WA_TRANSFER_FAILED;
    rs->request_sent = strcmp(how, "not_sent") != 0;
    snprintf(rs->error, sizeof rs->error, "%s", luaL_checkstring(L, 4));
}

/* Copies the response headers rs keeps (any case) from the headers table at idx, in one
 * pass; the others are left empty. */
static void lwa_transport_headers_in(lua_State *L, int idx, wa_http_response *rs)
{
    if (!lua_istable(L, idx))
        return;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING) {
            const char *name = lua_tostring(L, -2), *value = lua_tostring(L, -1);
            if (strcasecmp(name, "retry-after") == 0)
                snprintf(rs->retry_after, sizeof rs->retry_after, "%s", value);
            else if (strcasecmp(name, "x-business-use-case-usage") == 0)
                snprintf(rs->usage_business, sizeof rs->usage_business, "%s", value);
            else if (strcasecmp(name, "x-app-usage") == 0)
                snprintf(rs->usage_app, sizeof rs->usage_app, "%s", value);
        }
        lua_pop(L, 1);
    }
}

static void lwa_transport_answer(lua_State *L, const lwa_client *c, wa_http_response *rs)
{
    rs->transfer = WA_TRANSFER_OK;
    rs->request_sent = 1;
    rs->status = (long)luaL_checkinteger(L, 3);
    rs->body = luaL_optlstring(L, 5, "", &rs->body_len);
    lwa_transport_headers_in(L, 4, rs);
    if (rs->body_len > c->max_response)
        rs->transfer = WA_TRANSFER_TOO_LARGE;
}

/* settle(client, request, status, headers, body) or
 * settle(client, request, nil, message, "timeout" | "not_sent" | "failed")
 * -> result, or nil and the error object, exactly as the libcurl transport would; and when
 * the call may be sent again, a third value: the seconds to wait first (the on_retry hook
 * has been told). The caller then raises request.attempts and carries it again. */
static int lwa_transport_settle(lua_State *L)
{
    lwa_client *c = luaL_checkudata(L, 1, LWA_CLIENT_MT);
    wa_http_response rs;
    lwa_context cx;
    const wa_op *op;
    size_t url_len;
    const char *url;
    lua_Integer path_at;
    double server_wait, delay, started;
    wa_retry_policy policy;
    wa_verdict v;

    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 5);
    lua_getfield(L, 2, "operation");
    op = lwa_request_op(L, -1);
    lua_getfield(L, 2, "url");
    url = luaL_checklstring(L, -1, &url_len);
    lua_getfield(L, 2, "path_at");
    path_at = luaL_checkinteger(L, -1);
    lua_getfield(L, 2, "attempts");
    luaL_argcheck(L, path_at >= 0 && (size_t)path_at <= url_len, 2, "not a prepared request");

    memset(&cx, 0, sizeof cx);
    cx.operation = op->name;
    cx.method = op->method;
    cx.path = url + path_at;
    cx.secret = c->token;
    cx.secret_len = c->token_len;
    cx.attempts = lua_isnumber(L, -1) ? (int)lua_tointeger(L, -1) : 1;

    memset(&rs, 0, sizeof rs);
    if (lua_isnil(L, 3))
        lwa_transport_failure(L, &rs);
    else
        lwa_transport_answer(L, c, &rs);
    v = lwa_response_settle(L, op, &cx, &rs, c->max_response, &server_wait);
    if (v.kind == WA_KIND_OK)
        return 1;
    lwa_retry_load(L, 2, c, &policy);
    lua_getfield(L, 2, "started");
    started = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : wa_now();
    lua_pop(L, 1);
    delay = wa_retry_delay(&policy, cx.attempts, wa_now() - started, &v, server_wait,
                           lwa_retry_random(&c->random));
    if (delay >= 0)
        lwa_retry_notify(L, c, op->name, cx.attempts, delay);
    lua_pushnil(L);
    lua_insert(L, -2);
    if (delay < 0)
        return 2;
    lua_pushnumber(L, delay);
    return 3;
}

/* sleep(seconds): the wait between attempts for carriers outside nginx. */
static int lwa_transport_sleep(lua_State *L)
{
    wa_sleep(luaL_checknumber(L, 1));
    return 0;
}

void lwa_transport_open(lua_State *L)
{
    lua_pushcfunction(L, lwa_transport_sleep);
    lua_setfield(L, -2, "sleep");
    lua_pushcfunction(L, lwa_transport_prepare);
    lua_setfield(L, -2, "prepare");
    lua_pushcfunction(L, lwa_transport_settle);
    lua_setfield(L, -2, "settle");
}
