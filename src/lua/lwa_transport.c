#include "lwa_transport.h"

#include <stdio.h>
#include <string.h>

#include "lwa_table.h"
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

void lwa_transport_push_request(lua_State *L, const lwa_request *rq, const lwa_client *c)
{
    int request;

    lua_createtable(L, 0, 7);
    request = lua_gettop(L);
    lwa_set_string(L, "method", rq->http.method);
    lwa_set_string(L, "url", rq->http.url);
    lwa_set_string(L, "operation", rq->op->name);
    lwa_set_number(L, "timeout", c->timeout);
    lwa_set_number(L, "connect_timeout", c->connect_timeout);
    if (rq->http.nparts > 0)
        lwa_transport_multipart(L, rq);
    else if (rq->http.body != NULL) {
        lua_pushlstring(L, rq->http.body, rq->http.body_len);
        lua_pushliteral(L, "application/json");
    } else {
        lua_pushnil(L);
        lua_pushnil(L);
    }
    lwa_transport_headers(L, c, lua_gettop(L));
    lua_setfield(L, request, "headers");
    lua_pop(L, 1);
    lua_setfield(L, request, "body");
}

static void lwa_transport_refuse(wa_http_response *rs, const char *why)
{
    rs->transfer = WA_TRANSFER_FAILED;
    rs->request_sent = 1; /* nothing says it was not: the outcome is unknown */
    snprintf(rs->error, sizeof rs->error, "the transport's answer breaks its contract: %s", why);
}

static void lwa_transport_failure(lua_State *L, int base, wa_http_response *rs)
{
    static const char *const hows[] = {"failed", "timeout", "not_sent", "refused", NULL};
    static const wa_transfer transfers[] = {WA_TRANSFER_FAILED, WA_TRANSFER_TIMEOUT,
                                            WA_TRANSFER_FAILED, WA_TRANSFER_REFUSED};
    const char *how = lua_type(L, base + 2) == LUA_TSTRING ? lua_tostring(L, base + 2)
                      : lua_isnoneornil(L, base + 2) ? "failed"
                                                      : "";
    int i;

    for (i = 0; hows[i] != NULL && strcmp(hows[i], how) != 0; i++)
        ;
    if (hows[i] == NULL) {
        lwa_transport_refuse(rs, "how is not \"timeout\", \"not_sent\", \"refused\" or \"failed\"");
        return;
    }
    rs->transfer = transfers[i];
    rs->request_sent = i != 2 && i != 3;
    snprintf(rs->error, sizeof rs->error, "%s",
             lua_type(L, base + 1) == LUA_TSTRING ? lua_tostring(L, base + 1)
                                                   : "the transport failed without saying why");
}

/* Keeps the headers of ours from the headers table at idx (any case), in one pass. A
 * carrier may give a repeated header as a list: its first value counts. */
static void lwa_transport_headers_in(lua_State *L, int idx, wa_http_response *rs)
{
    if (!lua_istable(L, idx))
        return;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        if (lua_type(L, -1) == LUA_TTABLE)
            lua_rawgeti(L, -1, 1);
        else
            lua_pushvalue(L, -1);
        if (lua_type(L, -3) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING) {
            size_t name_len, value_len;
            const char *name = lua_tolstring(L, -3, &name_len);
            const char *value = lua_tolstring(L, -1, &value_len);
            wa_answer_header_set(&rs->headers, name, name_len, value, value_len);
        }
        lua_pop(L, 2);
    }
}

static void lwa_transport_answer(lua_State *L, int base, size_t max_response,
                                 wa_http_response *rs)
{
    lua_Number status = lua_tonumber(L, base);

    if (lua_type(L, base) != LUA_TNUMBER || !(status >= 100 && status <= 599) ||
        status != (lua_Number)(long)status) {
        lwa_transport_refuse(rs, "the status is not an HTTP status (100 to 599)");
        return;
    }
    if (!lua_isnoneornil(L, base + 2) && lua_type(L, base + 2) != LUA_TSTRING) {
        lwa_transport_refuse(rs, "the body is not a string");
        return;
    }
    rs->transfer = WA_TRANSFER_OK;
    rs->request_sent = 1;
    rs->status = (long)status;
    rs->body = "";
    if (lua_type(L, base + 2) == LUA_TSTRING)
        rs->body = lua_tolstring(L, base + 2, &rs->body_len);
    lwa_transport_headers_in(L, base + 1, rs);
    if (rs->body_len > max_response)
        rs->transfer = WA_TRANSFER_TOO_LARGE;
}

void lwa_transport_read_answer(lua_State *L, int base, size_t max_response,
                               wa_http_response *rs)
{
    memset(rs, 0, sizeof *rs);
    if (lua_isnoneornil(L, base))
        lwa_transport_failure(L, base, rs);
    else
        lwa_transport_answer(L, base, max_response, rs);
}

void lwa_transport_open(lua_State *L)
{
    static const char *const names[] = {
#define LWA_HEADER_NAME(name) name,
        LWA_REQUEST_HEADERS(LWA_HEADER_NAME)
#undef LWA_HEADER_NAME
    };
    size_t i;

    lua_createtable(L, (int)(sizeof names / sizeof names[0]), 0);
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        lua_pushstring(L, names[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "REQUEST_HEADERS");
}
