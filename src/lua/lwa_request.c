#include "lwa_request.h"

#include <string.h>

#include "lwa_args.h"
#include "lwa_error.h"
#include "lwa_fields.h"
#include "lwa_json.h"
#include "lwa_message.h"
#include "wa_ident.h"
#include "wa_url.h"

#define LWA_MAX_URL 8192
#define LWA_MAX_QUERY 8

/* The group id argument, checked so that it can only ever be one path segment. */
static const char *lwa_request_group_id(lua_State *L, int idx, const lwa_context *cx,
                                        size_t *len)
{
    const char *id;
    wa_verr e;

    if (lua_type(L, idx) != LUA_TSTRING)
        lwa_raise_validation(L, cx, "argument", "group_id",
                             lua_pushfstring(L, "string expected, got %s", luaL_typename(L, idx)));
    id = lua_tolstring(L, idx, len);
    if (wa_check_graph_id("group_id", id, *len, &e) != 0)
        lwa_raise_validation(L, cx, "argument", e.field, e.reason);
    return id;
}

static void lwa_request_need_phone(lua_State *L, const lwa_client *c, const lwa_context *cx)
{
    if (c->phone_number_id[0] == '\0')
        lwa_raise_validation(L, cx, "option", "phone_number_id",
                             "is required for this operation: pass it to groups.new{} "
                             "or set WHATSAPP_PHONE_NUMBER_ID");
}

/* Pushes the query values of the fields table at idx, in field order, as strings; returns
 * how many. Converting here keeps Lua allocations out of the URL building below. */
static int lwa_request_push_query(lua_State *L, const wa_op *op, int idx, const char **names)
{
    const wa_field *f;
    int n = 0;

    if (op->payload != WA_SEND_QUERY)
        return 0;
    for (f = op->fields; f->name != NULL && n < LWA_MAX_QUERY; f++) {
        lua_getfield(L, idx, f->name);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            continue;
        }
        lua_tostring(L, -1);
        names[n++] = f->name;
    }
    return n;
}

/* Pushes the request URL for the fields table at idx; returns where its path starts. */
static size_t lwa_request_push_url(lua_State *L, const lwa_client *c, const wa_op *op,
                                const char *node, size_t node_len, int idx,
                                const lwa_context *cx)
{
    const char *names[LWA_MAX_QUERY];
    int nq = lwa_request_push_query(L, op, idx, names), i, bad;
    wa_buf url;

    wa_buf_init(&url, LWA_MAX_URL);
    bad = wa_buf_append_str(&url, c->url_prefix) != 0 || /* the version needs no encoding */
          wa_url_append_segment(&url, node, node_len) != 0 ||
          (op->edge != NULL && wa_url_append_segment(&url, op->edge, strlen(op->edge)) != 0);
    for (i = 0; i < nq && !bad; i++) {
        size_t len;
        const char *v = lua_tolstring(L, i - nq, &len);
        bad = wa_url_append_query(&url, names[i], v, len) != 0;
    }
    lua_pop(L, nq);
    if (!bad)
        lua_pushlstring(L, url.data, url.len);
    wa_buf_free(&url); /* freed before any raise */
    if (bad)
        lwa_raise_validation(L, cx, "argument", NULL, "request URL too long");
    return c->base_len;
}

/* The multipart parts of an update with a picture or a media upload: messaging_product,
 * the operation's text fields, then the file; at most LWA_MAX_PARTS. */
static size_t lwa_request_form(lua_State *L, const wa_op *op, int idx, wa_http_part *parts)
{
    const wa_field *f;
    size_t n = 0;

    parts[n].name = "messaging_product";
    parts[n].data = "whatsapp";
    parts[n].len = 8;
    parts[n].filename = parts[n].type = NULL;
    n++;
    for (f = op->fields; f->name != NULL && n < LWA_MAX_PARTS - 1; f++) {
        if (f->type == WA_FIELD_PICTURE || f->type == WA_FIELD_MEDIA)
            continue;
        lua_getfield(L, idx, f->name);
        if (lua_isstring(L, -1)) { /* held by the fields table */
            parts[n].name = f->name;
            parts[n].data = lua_tolstring(L, -1, &parts[n].len);
            parts[n].filename = parts[n].type = NULL;
            n++;
        }
        lua_pop(L, 1);
    }
    for (f = op->fields; f->name != NULL; f++) {
        if (f->type != WA_FIELD_PICTURE && f->type != WA_FIELD_MEDIA)
            continue;
        lua_getfield(L, idx, f->name);
        parts[n].name = "file"; /* Meta's name for the file part (reference §1.9) */
        parts[n].data = lua_tolstring(L, -1, &parts[n].len);
        lua_pop(L, 1);
        lua_getfield(L, idx, "type");
        parts[n].filename = f->type == WA_FIELD_PICTURE ? "picture.jpg" : "upload";
        parts[n].type = f->type == WA_FIELD_PICTURE ? "image/jpeg" : lua_tostring(L, -1);
        lua_pop(L, 1); /* the strings stay held by the fields table */
        return n + 1;
    }
    return n;
}

static int lwa_request_has_picture(lua_State *L, int idx)
{
    int has;
    lua_getfield(L, idx, "picture");
    has = !lua_isnil(L, -1);
    lua_pop(L, 1);
    return has;
}

/* Fills the body of rq from the fields table at idx; JSON text stays on the stack. */
static void lwa_request_body(lua_State *L, const wa_op *op, int idx, wa_http_request *rq,
                          wa_http_part *parts, const lwa_context *cx)
{
    if (op->payload == WA_SEND_NOTHING || op->payload == WA_SEND_QUERY)
        return;
    if (op->payload == WA_SEND_FORM ||
        (op->payload == WA_SEND_JSON && lwa_request_has_picture(L, idx))) {
        rq->parts = parts;
        rq->nparts = lwa_request_form(L, op, idx, parts);
        return;
    }
    if (op->payload == WA_SEND_JSON) {
        lua_pushliteral(L, "whatsapp");
        lua_setfield(L, idx, "messaging_product");
    }
    lua_pushvalue(L, idx);
    rq->body = lwa_json_encode(L, &rq->body_len);
    if (rq->body == NULL)
        lwa_raise_validation(L, cx, "argument", NULL, lua_tostring(L, -1));
}

/* Moves the n values at the top into a new table, which keeps them alive (with room for
 * a call's client: a call's user value is that table). */
static void lwa_request_keep(lua_State *L, int n)
{
    int i;
    lua_createtable(L, n, 1);
    lua_insert(L, -n - 1);
    for (i = n; i >= 1; i--)
        lua_rawseti(L, -i - 1, i);
}

void lwa_request_prepare(lua_State *L, const lwa_client *c, const wa_op *op, int base,
                         lwa_request *rq)
{
    const char *node = c->phone_number_id, *group = NULL, *url;
    size_t node_len = c->phone_len, group_len = 0, path_at;
    int fields, top, args = base + (op->on != WA_ON_PHONE);

    memset(rq, 0, sizeof *rq);
    rq->op = op;
    rq->cx.operation = op->name;
    rq->cx.secret = c->token; /* kept until c is collected, whoever closes it */
    rq->cx.secret_len = c->token_len;

    if (op->on != WA_ON_PHONE)
        group = lwa_request_group_id(L, base, &rq->cx, &group_len);
    if (op->on == WA_ON_GROUP) {
        node = group;
        node_len = group_len;
    } else
        lwa_request_need_phone(L, c, &rq->cx);
    if (op->payload == WA_SEND_MESSAGE)
        lwa_message_push(L, args, group, group_len, &rq->cx);
    else
        lwa_fields_push(L, op, args, &rq->cx);
    fields = lua_gettop(L);

    path_at = lwa_request_push_url(L, c, op, node, node_len, fields, &rq->cx);
    url = lua_tostring(L, -1);
    rq->cx.method = op->method;
    rq->cx.path = url + path_at;
    lwa_request_body(L, op, fields, &rq->http, rq->parts, &rq->cx);
    rq->http.method = op->method;
    rq->http.url = url;
    rq->http.may_resend = (op->flags & WA_OP_IDEMPOTENT) != 0;
    top = lua_gettop(L);
    lwa_request_keep(L, top - fields + 1);
}

const wa_op *lwa_request_op(lua_State *L, int idx)
{
    const wa_op *op = lua_type(L, idx) == LUA_TNUMBER
                          ? wa_op_get((wa_op_id)(lua_tointeger(L, idx) - 1))
                          : wa_op_find(luaL_checkstring(L, idx));
    if (op == NULL)
        luaL_argerror(L, idx, "unknown operation");
    return op;
}
