#include "lwa_response.h"

#include "lwa_json.h"
#include "lwa_number.h"
#include "wa_codes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies a string or number field of the table at src into the error at the top. */
static void lwa_copy_string(lua_State *L, const lwa_context *cx, int src, const char *from,
                            const char *to)
{
    lua_getfield(L, src, from);
    if (lua_type(L, -1) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        lua_pop(L, 1);
        lwa_error_set_string(L, cx, to, s, len);
        return;
    }
    lua_pop(L, 1);
}

/* Meta documents codes as integers; some samples quote them, so decimal strings count.
 * A number that is no integer is kept as it came. */
static void lwa_copy_number(lua_State *L, int src, const char *from, const char *to)
{
    lua_Number n;

    lua_getfield(L, src, from);
    if (lwa_number_integer(L, -1, &n) || lua_type(L, -1) == LUA_TNUMBER) {
        n = lua_tonumber(L, -1);
        lua_pop(L, 1);
        lwa_error_set_number(L, to, n);
        return;
    }
    lua_pop(L, 1);
}

/* Index of the decoded body's "error" table, pushed, or 0 (nothing pushed). */
static int lwa_graph_error(lua_State *L, int decoded)
{
    if (!lua_istable(L, decoded))
        return 0;
    lua_getfield(L, decoded, "error");
    if (lua_istable(L, -1))
        return lua_gettop(L);
    lua_pop(L, 1);
    return 0;
}

/* Graph's code at idx as a long; 0 (no code) unless it is a number a long can hold: a
 * body may say 1e300, and converting that to long is undefined behaviour. */
static long lwa_graph_code(lua_State *L, int idx)
{
    lua_Number n;
    if (!lwa_number_integer(L, idx, &n))
        return 0;
    return (n >= -2147483647.0 && n <= 2147483647.0) ? (long)n : 0;
}

static void lwa_collect_facts(lua_State *L, int decoded, int graph, const wa_http_response *rs,
                              wa_facts *f)
{
    memset(f, 0, sizeof *f);
    f->transfer = rs->transfer;
    f->request_sent = rs->request_sent;
    f->http_status = rs->status;
    /* A JSON array decodes to a table too, with items at 1, 2, ...: not an object. */
    f->body_is_object = lua_istable(L, decoded) && lwa_rawlen(L, decoded) == 0;
    f->has_graph_error = graph != 0;
    if (graph) {
        lua_getfield(L, graph, "code");
        f->graph_code = lwa_graph_code(L, -1);
        lua_getfield(L, graph, "is_transient"); /* true only: "false" and 0 are not */
        f->is_transient = lua_type(L, -1) == LUA_TBOOLEAN && lua_toboolean(L, -1);
        lua_pop(L, 2);
    }
}

/* error_data.details: Meta's explanation of what was wrong with the request. */
static void lwa_copy_details(lua_State *L, const lwa_context *cx, int graph)
{
    size_t len;
    const char *s;

    lua_getfield(L, graph, "error_data");
    if (lua_istable(L, -1))
        lua_getfield(L, -1, "details");
    else
        lua_pushnil(L);
    if (lua_type(L, -1) != LUA_TSTRING) {
        lua_pop(L, 2);
        return;
    }
    s = lua_tolstring(L, -1, &len); /* still held by the decoded body after the pop */
    lua_pop(L, 2);
    lwa_error_set_string(L, cx, "details", s, len);
}

/* What a known code means for the caller, in our words. */
static void lwa_set_hint(lua_State *L, int graph)
{
    const char *hint;

    lua_getfield(L, graph, "code");
    hint = wa_code_hint(lwa_graph_code(L, -1));
    lua_pop(L, 1);
    if (hint != NULL) {
        lua_pushstring(L, hint);
        lua_setfield(L, -2, "hint");
    }
}

/* The Graph envelope's fields, under the names the error object documents. */
static void lwa_copy_graph_error(lua_State *L, const lwa_context *cx, int graph)
{
    lwa_copy_string(L, cx, graph, "message", "message");
    lwa_copy_string(L, cx, graph, "type", "type");
    lwa_copy_number(L, graph, "code", "code");
    lwa_copy_number(L, graph, "error_subcode", "subcode");
    lwa_copy_string(L, cx, graph, "fbtrace_id", "fbtrace_id");
    lwa_copy_string(L, cx, graph, "error_user_title", "user_title");
    lwa_copy_string(L, cx, graph, "error_user_msg", "user_msg");
    lua_getfield(L, graph, "is_transient");
    if (lua_isboolean(L, -1))
        lua_setfield(L, -2, "is_transient");
    else
        lua_pop(L, 1);
    lwa_copy_details(L, cx, graph);
    lwa_set_hint(L, graph);
}

static void lwa_set_message(lua_State *L, const lwa_context *cx, const char *msg)
{
    lwa_error_set_string(L, cx, "message", msg, strlen(msg));
}

/* Words for an error that Graph's envelope does not explain. */
static void lwa_describe(lua_State *L, const lwa_context *cx, const wa_verdict *v,
                         const wa_http_response *rs, size_t max_response)
{
    char msg[320];

    if (rs->transfer == WA_TRANSFER_TOO_LARGE)
        snprintf(msg, sizeof msg, "answer larger than %zu bytes refused", max_response);
    else if (v->kind == WA_KIND_NETWORK || v->kind == WA_KIND_TIMEOUT)
        snprintf(msg, sizeof msg, "%s", rs->error);
    else if (v->kind == WA_KIND_API)
        snprintf(msg, sizeof msg, "HTTP %ld answer without a Graph error body", rs->status);
    else
        snprintf(msg, sizeof msg, "HTTP %ld answer is not a JSON object", rs->status);
    lwa_set_message(L, cx, msg);
}

/* Pushes the error object the exchange came to; retry_after: the seconds Retry-After
 * asked for, or negative. */
static void lwa_push_error(lua_State *L, const lwa_context *cx, const wa_verdict *v, int graph,
                           const wa_http_response *rs, size_t max_response, double retry_after)
{
    int has_message;

    lwa_error_new(L, cx, v->kind);
    if (graph)
        lwa_copy_graph_error(L, cx, graph);
    lua_getfield(L, -1, "message");
    has_message = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (!has_message)
        lwa_describe(L, cx, v, rs, max_response);
    lua_pushstring(L, wa_outcome_name(v->outcome));
    lua_setfield(L, -2, "outcome");
    lwa_error_set_boolean(L, "retryable", v->retryable);
    if (rs->status > 0)
        lwa_error_set_number(L, "http_status", (lua_Number)rs->status);
    if (rs->transfer != WA_TRANSFER_OK && rs->curl_code != 0)
        lwa_error_set_number(L, "curl_code", rs->curl_code);
    if (retry_after >= 0)
        lwa_error_set_number(L, "retry_after", retry_after);
}

/* Decodes a usage header (JSON) into t[key] of the table at the top. */
/* Decodes a usage header (JSON) into t[key] of the table at the top, the token cut out
 * of it first: every string a server sends is redacted. */
static void lwa_usage_field(lua_State *L, const lwa_context *cx, const char *key,
                            const char *json)
{
    size_t len;
    const char *text;

    if (json[0] == '\0')
        return;
    lwa_error_push_redacted(L, cx, json, strlen(json));
    text = lua_tolstring(L, -1, &len);
    lwa_json_decode(L, text, len);
    lua_remove(L, -2);
    lua_setfield(L, -2, key);
}

/* The longest estimated_time_to_regain_access (minutes) in the business usage report
 * at the top, in seconds; -1 when there is none. */
static double lwa_usage_wait(lua_State *L)
{
    double wait = -1;

    if (!lua_istable(L, -1))
        return wait;
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) { /* one array of reports per business id */
        int i;
        for (i = 1; lua_istable(L, -1); i++) {
            lua_rawgeti(L, -1, i);
            if (!lua_istable(L, -1)) {
                lua_pop(L, 1);
                break;
            }
            lua_getfield(L, -1, "estimated_time_to_regain_access");
            if (lua_isnumber(L, -1) && lua_tonumber(L, -1) * 60 > wait)
                wait = lua_tonumber(L, -1) * 60;
            lua_pop(L, 2);
        }
        lua_pop(L, 1);
    }
    return wait;
}

/* Sets usage = {business_use_case, app} on the table at the top when Meta sent either
 * report, and returns the wait the reports ask for (seconds; -1: none). */
static double lwa_set_usage(lua_State *L, const lwa_context *cx, const wa_http_response *rs)
{
    double wait;

    if (rs->headers.usage_business[0] == '\0' && rs->headers.usage_app[0] == '\0')
        return -1;
    lua_createtable(L, 0, 2);
    lwa_usage_field(L, cx, "business_use_case", rs->headers.usage_business);
    lwa_usage_field(L, cx, "app", rs->headers.usage_app);
    lua_getfield(L, -1, "business_use_case");
    wait = lwa_usage_wait(L);
    lua_pop(L, 1);
    lua_setfield(L, -2, "usage");
    return wait;
}

static double lwa_retry_after_seconds(const char *value)
{
    char *end;
    long secs = strtol(value, &end, 10);
    return (value[0] >= '0' && value[0] <= '9' && *end == '\0') ? (double)secs : -1;
}

/* An acknowledgement answered 2xx with an empty body, which Meta documents as success for
 * some operations (update group, remove participants). */
static int lwa_response_empty_ack(const wa_op *op, const wa_http_response *rs)
{
    size_t i;

    if (!(op->flags & WA_OP_EMPTY_OK) || rs->transfer != WA_TRANSFER_OK || rs->status < 200 ||
        rs->status > 299)
        return 0;
    for (i = 0; i < rs->body_len; i++)
        if (rs->body[i] != ' ' && rs->body[i] != '\t' && rs->body[i] != '\r' && rs->body[i] != '\n')
            return 0;
    return 1;
}

wa_verdict lwa_response_settle(lua_State *L, const wa_op *op, const lwa_context *cx,
                               const wa_http_response *rs, size_t max_response,
                               double *server_wait)
{
    int decoded, graph;
    wa_facts facts;
    wa_verdict v;
    double usage_wait, retry_after = lwa_retry_after_seconds(rs->headers.retry_after);

    if (rs->transfer == WA_TRANSFER_OK)
        lwa_json_decode(L, rs->body, rs->body_len);
    else
        lua_pushnil(L);
    if (lwa_response_empty_ack(op, rs)) { /* Meta's contract: 200 with no body */
        lua_pop(L, 1);
        lua_newtable(L);
    }
    decoded = lua_gettop(L);
    graph = lwa_graph_error(L, decoded);
    lwa_collect_facts(L, decoded, graph, rs, &facts);
    v = wa_classify(op, &facts);
    if (v.kind != WA_KIND_OK) {
        lwa_push_error(L, cx, &v, graph, rs, max_response, retry_after);
        lua_replace(L, decoded);
    }
    lua_settop(L, decoded);
    usage_wait = lwa_set_usage(L, cx, rs);
    *server_wait = retry_after;
    if (usage_wait > *server_wait)
        *server_wait = usage_wait;
    return v;
}
