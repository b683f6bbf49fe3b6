#include "lwa_call.h"

#include <string.h>

#include "lwa_body.h"
#include "lwa_error.h"
#include "lwa_json.h"
#include "lwa_response.h"
#include "wa_url.h"

#define LWA_MAX_URL 4096

/* The node an operation's path starts from, checked. */
static const char *lwa_call_root(lua_State *L, const lwa_client *c, const wa_op *op,
                                 const lwa_context *cx)
{
    (void)op; /* every operation so far starts at the phone number */
    if (c->phone_number_id[0] == '\0')
        lwa_raise_validation(L, cx, "option", "phone_number_id",
                             "is required for this operation: pass it to groups.new{} "
                             "or set WHATSAPP_PHONE_NUMBER_ID");
    return c->phone_number_id;
}

/* Pushes the request URL; returns the offset where its path starts. */
static size_t lwa_call_push_url(lua_State *L, const lwa_client *c, const wa_op *op,
                                const char *root, const lwa_context *cx)
{
    wa_buf url;
    size_t base_len = strlen(c->base_url);
    int bad;

    wa_buf_init(&url, LWA_MAX_URL);
    bad = wa_buf_append_str(&url, c->base_url) != 0 ||
          wa_url_append_segment(&url, c->version, strlen(c->version)) != 0 ||
          wa_url_append_segment(&url, root, strlen(root)) != 0 ||
          wa_url_append_segment(&url, op->edge, strlen(op->edge)) != 0;
    if (!bad)
        lua_pushlstring(L, url.data, url.len);
    wa_buf_free(&url); /* freed before any raise */
    if (bad)
        lwa_raise_validation(L, cx, "argument", NULL, "request URL too long");
    return base_len;
}

int lwa_call(lua_State *L, lwa_client *c, const wa_op *op, int arg)
{
    lwa_context cx;
    wa_http_request rq;
    wa_http_response rs;
    const char *root, *url;
    size_t path_at;

    memset(&cx, 0, sizeof cx);
    cx.operation = op->name;
    cx.secret = c->token;
    cx.secret_len = c->token_len;

    lwa_body_push(L, op, arg, &cx);
    root = lwa_call_root(L, c, op, &cx);
    path_at = lwa_call_push_url(L, c, op, root, &cx);
    url = lua_tostring(L, -1);
    cx.method = op->method;
    cx.path = url + path_at;

    lua_pushvalue(L, -2);
    rq.body = lwa_json_encode(L, &rq.body_len);
    if (rq.body == NULL)
        lwa_raise_validation(L, &cx, "argument", NULL, lua_tostring(L, -1));
    rq.method = op->method;
    rq.url = url;
    wa_http_perform(c->http, &rq, &rs);
    return lwa_response_finish(L, op, &cx, &rs, c->max_response);
}
