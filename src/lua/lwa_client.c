#include "lwa_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "lwa_args.h"
#include "lwa_async.h"
#include "lwa_call.h"
#include "lwa_error.h"
#include "lwa_retry.h"
#include "wa_ident.h"
#include "wa_url.h"

#define LWA_USER_AGENT "lua-whatsapp-groups/" WA_VERSION
#define LWA_MAX_SECONDS 86400.0

static const char *const lwa_option_names[] = {
    "token", "phone_number_id", "version", "base_url", "timeout", "connect_timeout",
    "user_agent", "ca_file", "proxy", "max_response_size", "retries", "backoff", "on_retry",
    NULL,
};

/* Options as given, checked; strings point into the options table. */
typedef struct lwa_options {
    const char *token, *phone_number_id, *version, *base_url, *user_agent, *ca_file, *proxy;
    size_t token_len, phone_len, version_len, base_len;
    lua_Number timeout, connect_timeout, max_response;
    wa_retry_policy retry;
    int has_on_retry;
} lwa_options;

/* A string option that must pass a core check; absent leaves the default. */
static void lwa_option_checked(const lwa_args *a, const char *key, const char **out,
                               size_t *len, int (*check)(const char *, size_t, wa_verr *))
{
    size_t n;
    const char *s = lwa_args_string(a, key, &n);
    wa_verr e;

    if (s == NULL)
        return;
    if (check(s, n, &e) != 0)
        lwa_args_fail(a, key, e.reason);
    *out = s;
    *len = n;
}

static int lwa_check_base(const char *s, size_t len, wa_verr *e)
{
    return wa_url_check_base(s, &len, e);
}

/* A string that must hold no NUL and be printable; its value is never quoted. */
static const char *lwa_option_text(const lwa_args *a, const char *key, size_t max)
{
    size_t n;
    const char *s = lwa_args_string(a, key, &n);
    wa_verr e;

    if (s != NULL && wa_check_header_text(key, s, n, max, &e) != 0)
        lwa_args_fail(a, key, e.reason);
    return s;
}

static void lwa_option_ca_file(const lwa_args *a, lwa_options *o)
{
    FILE *f;

    o->ca_file = lwa_option_text(a, "ca_file", 4096);
    if (o->ca_file == NULL)
        return;
    f = fopen(o->ca_file, "rb");
    if (f == NULL)
        lwa_args_fail(a, "ca_file", "cannot be opened for reading");
    else {
        /* A directory opens, but reading it fails: refuse it here, before any I/O. */
        int unreadable = getc(f) == EOF && ferror(f);
        fclose(f);
        if (unreadable)
            lwa_args_fail(a, "ca_file", "cannot be read (a directory?)");
    }
}

static void lwa_options_read(const lwa_args *a, lwa_options *o)
{
    const char *ua;
    size_t proxy_len;

    memset(o, 0, sizeof *o);
    o->version = LWA_DEFAULT_VERSION;
    o->version_len = sizeof LWA_DEFAULT_VERSION - 1;
    o->base_url = LWA_DEFAULT_BASE_URL;
    o->base_len = sizeof LWA_DEFAULT_BASE_URL - 1;
    o->user_agent = LWA_USER_AGENT;
    o->timeout = 30;
    o->connect_timeout = 10;
    o->max_response = 4 * 1024 * 1024;

    lwa_args_known(a, lwa_option_names);
    lwa_option_checked(a, "token", &o->token, &o->token_len, wa_check_token);
    if (o->token == NULL)
        lwa_args_fail(a, "token", "string expected, got nil");
    lwa_option_checked(a, "phone_number_id", &o->phone_number_id, &o->phone_len,
                       wa_check_phone_number_id);
    lwa_option_checked(a, "version", &o->version, &o->version_len, wa_check_version);
    lwa_option_checked(a, "base_url", &o->base_url, &o->base_len, lwa_check_base);
    lwa_args_number(a, "timeout", 0.001, LWA_MAX_SECONDS, &o->timeout);
    lwa_args_number(a, "connect_timeout", 0.001, LWA_MAX_SECONDS, &o->connect_timeout);
    lwa_args_number(a, "max_response_size", 1024, 1024.0 * 1024 * 1024, &o->max_response);
    wa_retry_default(&o->retry);
    lwa_retry_read(a, &o->retry);
    o->has_on_retry = lwa_args_push(a, "on_retry", LUA_TFUNCTION);
    lua_pop(a->L, o->has_on_retry);
    ua = lwa_option_text(a, "user_agent", 256);
    if (ua != NULL)
        o->user_agent = ua;
    lwa_option_ca_file(a, o);
    lwa_option_checked(a, "proxy", &o->proxy, &proxy_len, wa_check_proxy);
}

static void lwa_copy(char *dst, size_t cap, const char *src, size_t len)
{
    if (len >= cap)
        len = cap - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static void lwa_client_close_now(lua_State *L, lwa_client *c)
{
    luaL_unref(L, LUA_REGISTRYINDEX, c->on_retry);
    c->on_retry = LUA_NOREF;
    wa_http_free(c->http);
    c->http = NULL;
    if (c->token != NULL) {
        OPENSSL_cleanse(c->token, c->token_len);
        free(c->token);
        c->token = NULL;
    }
}

static int lwa_client_build(lua_State *L, const lwa_options *o, int safe)
{
    lwa_client *c = lua_newuserdata(L, sizeof *c);
    lwa_context cx = {"new", NULL, NULL, o->token, o->token_len, 0};
    wa_http_config hc;
    const char *why = NULL;

    memset(c, 0, sizeof *c);
    c->on_retry = LUA_NOREF;
    luaL_getmetatable(L, LWA_CLIENT_MT);
    lua_setmetatable(L, -2); /* from here __gc frees whatever was built */
    c->safe = safe;
    c->max_response = (size_t)o->max_response;
    snprintf(c->url_prefix, sizeof c->url_prefix, "%.*s/%.*s", (int)o->base_len, o->base_url,
             (int)o->version_len, o->version);
    c->base_len = o->base_len;
    lwa_copy(c->user_agent, sizeof c->user_agent, o->user_agent, strlen(o->user_agent));
    c->timeout = o->timeout;
    c->retry = o->retry;
    c->random = (unsigned long)time(NULL) ^ (unsigned long)(size_t)c;
    if (o->has_on_retry) {
        lua_getfield(L, 1, "on_retry");
        c->on_retry = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    c->connect_timeout = o->connect_timeout;
    lwa_copy(c->phone_number_id, sizeof c->phone_number_id,
             o->phone_number_id ? o->phone_number_id : "", o->phone_len);
    c->phone_len = strlen(c->phone_number_id);
    c->token = malloc(o->token_len + 1);
    if (c->token == NULL)
        return luaL_error(L, "out of memory");
    lwa_copy(c->token, o->token_len + 1, o->token, o->token_len);
    c->token_len = o->token_len;

    memset(&hc, 0, sizeof hc);
    hc.token = c->token;
    hc.token_len = c->token_len;
    hc.user_agent = o->user_agent;
    hc.ca_file = o->ca_file;
    hc.proxy = o->proxy;
    hc.timeout_ms = (long)(o->timeout * 1000);
    hc.connect_timeout_ms = (long)(o->connect_timeout * 1000);
    hc.max_response = c->max_response;
    c->http = wa_http_new(&hc, &why);
    if (c->http == NULL) {
        lwa_client_close_now(L, c);
        return lwa_raise_network(L, &cx, why);
    }
    return 1;
}

static int lwa_client_new_with(lua_State *L, int safe)
{
    lwa_context cx = {"new", NULL, NULL, NULL, 0, 0};
    lwa_args a = lwa_args_table(L, 1, "options", "option", &cx);
    lwa_options o;

    lwa_options_read(&a, &o);
    return lwa_client_build(L, &o, safe);
}

int lwa_client_new(lua_State *L)
{
    return lwa_client_new_with(L, 0);
}

int lwa_client_new_safe(lua_State *L)
{
    return lwa_client_new_with(L, 1);
}

static lwa_client *lwa_client_check(lua_State *L)
{
    return luaL_checkudata(L, 1, LWA_CLIENT_MT);
}

/* One close for :close(), __gc and __close; safe to call again. */
static int lwa_client_close(lua_State *L)
{
    lwa_client_close_now(L, lwa_client_check(L));
    return 0;
}

static int lwa_client_tostring(lua_State *L)
{
    lwa_client *c = lwa_client_check(L);
    if (c->http == NULL)
        lua_pushfstring(L, "%s (closed)", LWA_CLIENT_MT);
    else
        lua_pushfstring(L, "%s (%p)", LWA_CLIENT_MT, (void *)c);
    return 1;
}

static void lwa_client_need_open(lua_State *L, const lwa_client *c, const char *operation)
{
    if (c->http == NULL) {
        lwa_context cx = {operation, NULL, NULL, NULL, 0, 0};
        lwa_raise_validation(L, &cx, "argument", NULL, "the client is closed");
    }
}

lwa_client *lwa_client_check_open(lua_State *L, int idx, const char *operation)
{
    lwa_client *c = luaL_checkudata(L, idx, LWA_CLIENT_MT);
    lwa_client_need_open(L, c, operation);
    return c;
}

static const wa_op *lwa_client_upvalue_op(lua_State *L)
{
    return wa_op_get((wa_op_id)lua_tointeger(L, lua_upvalueindex(1)));
}

/* The operation for a safe client, run protected: upvalue 1 is the operation's index. */
static int lwa_client_operation(lua_State *L)
{
    const wa_op *op = lwa_client_upvalue_op(L);
    return lwa_call(L, lwa_client_check_open(L, 1, op->name), op);
}

/* Every operation method (upvalue 1: the operation's index, 2: lwa_client_operation for
 * it). A safe client returns nil, err for our errors, others still raise; any other
 * client runs the call right here, without a second Lua call in between. */
static int lwa_client_dispatch(lua_State *L)
{
    lwa_client *c = lwa_client_check(L);
    int n = lua_gettop(L);

    if (!c->safe) {
        const wa_op *op = lwa_client_upvalue_op(L);
        lwa_client_need_open(L, c, op->name);
        return lwa_call(L, c, op);
    }
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_insert(L, 1);
    return lwa_pcall_safe(L, n);
}

static void lwa_client_add_operations(lua_State *L)
{
    int id;
    for (id = 0; id < WA_OP_COUNT; id++) {
        lua_pushinteger(L, id);
        lua_pushinteger(L, id);
        lua_pushcclosure(L, lwa_client_operation, 1);
        lua_pushcclosure(L, lwa_client_dispatch, 2);
        lua_setfield(L, -2, wa_op_get((wa_op_id)id)->name);
    }
}

void lwa_client_open(lua_State *L)
{
    static const luaL_Reg meta[] = {
        {"__gc", lwa_client_close},
        {"__close", lwa_client_close},
        {"__tostring", lwa_client_tostring},
        {NULL, NULL},
    };
    luaL_newmetatable(L, LWA_CLIENT_MT);
    lwa_setfuncs(L, meta, 0);
    lua_createtable(L, 0, WA_OP_COUNT + 1);
    lua_pushcfunction(L, lwa_client_close);
    lua_setfield(L, -2, "close");
    lwa_client_add_operations(L);
    lwa_async_register(L);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, LWA_CLIENT_MT);
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);
}

static int lwa_client_is_safe(lua_State *L)
{
    lua_pushboolean(L, lwa_client_check(L)->safe);
    return 1;
}

/* Raises the validation error (operation, what, field, reason). */
static int lwa_client_raise_validation(lua_State *L)
{
    lwa_context cx;

    memset(&cx, 0, sizeof cx);
    cx.operation = luaL_checkstring(L, 1);
    return lwa_raise_validation(L, &cx, luaL_checkstring(L, 2), luaL_optstring(L, 3, NULL),
                                luaL_checkstring(L, 4));
}

/* validation_error(operation, what, field, reason) -> the error object, not raised: for
 * the checks the Lua half makes. */
static int lwa_client_validation_error(lua_State *L)
{
    lua_settop(L, 4);
    lua_pushcfunction(L, lwa_client_raise_validation);
    lua_insert(L, 1);
    lua_pcall(L, 4, 1, 0);
    return 1;
}

void lwa_client_export(lua_State *L)
{
    luaL_getmetatable(L, LWA_CLIENT_MT);
    lua_getfield(L, -1, "__index");
    lua_setfield(L, -3, "methods");
    lua_pop(L, 1);
    lua_pushcfunction(L, lwa_client_is_safe);
    lua_setfield(L, -2, "is_safe");
    lua_pushcfunction(L, lwa_client_validation_error);
    lua_setfield(L, -2, "validation_error");
}
