#include "lwa_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "lwa_args.h"
#include "lwa_error.h"
#include "lwa_retry.h"
#include "wa_ident.h"
#include "wa_url.h"

#define LWA_USER_AGENT "lua-whatsapp-groups/" WA_VERSION
#define LWA_MAX_SECONDS 86400.0

static const char *const lwa_option_names[] = {
    "token", "phone_number_id", "version", "base_url", "timeout", "connect_timeout",
    "user_agent", "ca_file", "proxy", "max_response_size", "retries", "backoff", "on_retry",
    "on_attempt", "transport", "pacer", NULL,
};

/* Options as given, checked; strings point into the options table. */
typedef struct lwa_options {
    const char *token, *phone_number_id, *version, *base_url, *user_agent, *ca_file, *proxy;
    size_t token_len, phone_len, version_len, base_len;
    lua_Number timeout, connect_timeout, max_response;
    wa_retry_policy retry;
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

/* transport: a function carrying each request, or "blocking" (libcurl, the default). The
 * facade turns "nginx" into the nginx transport function before it gets here. */
static void lwa_option_transport(const lwa_args *a)
{
    lua_pushliteral(a->L, "transport");
    lua_rawget(a->L, a->index);
    if (!lua_isnil(a->L, -1) && !lua_isfunction(a->L, -1) &&
        !(lua_type(a->L, -1) == LUA_TSTRING && strcmp(lua_tostring(a->L, -1), "blocking") == 0))
        lwa_args_fail(a, "transport", "\"nginx\", \"blocking\" or a function expected");
    lua_pop(a->L, 1);
}

/* pacer: an object of whatsapp.groups.pacer (admit and record), shared by the workers
 * and hosts that pace together. */
static void lwa_option_pacer(const lwa_args *a)
{
    int ok;

    if (!lwa_args_push(a, "pacer", LUA_TTABLE))
        return;
    lua_getfield(a->L, -1, "admit");
    lua_getfield(a->L, -2, "record");
    ok = lua_isfunction(a->L, -1) && lua_isfunction(a->L, -2);
    lua_pop(a->L, 3);
    if (!ok)
        lwa_args_fail(a, "pacer", "a pacer from whatsapp.groups.pacer expected");
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
    o->max_response = LWA_DEFAULT_MAX_RESPONSE;

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
    lua_pop(a->L, lwa_args_push(a, "on_retry", LUA_TFUNCTION));
    lua_pop(a->L, lwa_args_push(a, "on_attempt", LUA_TFUNCTION));
    lwa_option_transport(a);
    lwa_option_pacer(a);
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

/* Closes libcurl's side (its copies of the token are wiped); the client's own copy is
 * for redacting the errors of calls still under way, and goes with the client. */
static void lwa_client_close_now(lwa_client *c)
{
    wa_http_free(c->http);
    c->http = NULL;
}

static void lwa_client_free_token(lwa_client *c)
{
    if (c->token == NULL)
        return;
    OPENSSL_cleanse(c->token, c->token_len);
    free(c->token);
    c->token = NULL;
}

/* The client's user value: {on_retry, on_attempt, transport function, pacer}, from the
 * options table at index 1 (checked). */
static void lwa_client_keep_hooks(lua_State *L, lwa_client *c)
{
    static const char *const keys[] = {"on_retry", "on_attempt", "transport", "pacer"};
    int i;

    lua_createtable(L, 4, 0);
    for (i = 0; i < 4; i++) {
        lua_pushstring(L, keys[i]);
        lua_rawget(L, 1);
        if (lua_isfunction(L, -1) || lua_istable(L, -1)) {
            lua_rawseti(L, -2, i + 1);
            c->hooks |= 1u << (i + 1);
        } else
            lua_pop(L, 1);
    }
    lwa_setuservalue(L, -2);
}

static int lwa_client_build(lua_State *L, const lwa_options *o, int safe)
{
    lwa_client *c = lua_newuserdata(L, sizeof *c);
    lwa_context cx = {"new", NULL, NULL, o->token, o->token_len, 0};
    wa_http_config hc;
    const char *why = NULL;

    memset(c, 0, sizeof *c);
    luaL_getmetatable(L, safe ? LWA_SAFE_CLIENT_MT : LWA_CLIENT_MT);
    lua_setmetatable(L, -2); /* from here __gc frees whatever was built */
    lwa_client_keep_hooks(L, c);
    c->max_response = (size_t)o->max_response;
    snprintf(c->url_prefix, sizeof c->url_prefix, "%.*s/%.*s", (int)o->base_len, o->base_url,
             (int)o->version_len, o->version);
    c->base_len = o->base_len;
    lwa_copy(c->user_agent, sizeof c->user_agent, o->user_agent, strlen(o->user_agent));
    c->timeout = o->timeout;
    c->retry = o->retry;
    c->random = (unsigned long)time(NULL) ^ (unsigned long)(size_t)c;
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
        lwa_client_close_now(c);
        return lwa_raise_network(L, &cx, why);
    }
    return 1;
}

static int lwa_client_new_with(lua_State *L, int safe)
{
    lwa_context cx = {"new", NULL, NULL, NULL, 0, 0};
    lwa_args a = lwa_args_table(L, 1, "options", "option", &cx);
    lwa_options o;

    lua_settop(L, 1);
    lwa_options_read(&a, &o);
    return lwa_client_build(L, &o, safe);
}

/* new{...} and new_safe{...}: one constructor, two metatables. */
static int lwa_client_new(lua_State *L)
{
    return lwa_client_new_with(L, 0);
}

static int lwa_client_new_safe(lua_State *L)
{
    return lwa_client_new_with(L, 1);
}

lwa_client *lwa_client_check(lua_State *L, int idx)
{
    lwa_client *c = lwa_testudata(L, idx, LWA_CLIENT_MT);
    if (c == NULL)
        c = lwa_testudata(L, idx, LWA_SAFE_CLIENT_MT);
    return c != NULL ? c : luaL_checkudata(L, idx, LWA_CLIENT_MT); /* raises */
}

int lwa_client_is_safe(lua_State *L, int idx)
{
    return lwa_testudata(L, idx, LWA_SAFE_CLIENT_MT) != NULL;
}

void lwa_client_push(lua_State *L, int idx, int slot)
{
    lwa_getuservalue(L, idx);
    lua_rawgeti(L, -1, slot);
    lua_remove(L, -2);
}

/* One close for :close() and __close; safe to call again. */
static int lwa_client_close(lua_State *L)
{
    lwa_client_close_now(lwa_client_check(L, 1));
    return 0;
}

/* Collected: no call of it is left, so its token goes too. */
static int lwa_client_gc(lua_State *L)
{
    lwa_client *c = lwa_client_check(L, 1);
    lwa_client_close_now(c);
    lwa_client_free_token(c);
    return 0;
}

static int lwa_client_tostring(lua_State *L)
{
    lwa_client *c = lwa_client_check(L, 1);
    if (c->http == NULL)
        lua_pushfstring(L, "%s (closed)", LWA_CLIENT_MT);
    else
        lua_pushfstring(L, "%s (%p)", LWA_CLIENT_MT, (void *)c);
    return 1;
}

lwa_client *lwa_client_check_open(lua_State *L, int idx, const char *operation)
{
    lwa_client *c = lwa_client_check(L, idx);
    if (c->http == NULL) {
        lwa_context cx = {operation, NULL, NULL, NULL, 0, 0};
        lwa_raise_validation(L, &cx, "argument", NULL, "the client is closed");
    }
    return c;
}

/* A metatable for clients; its method table (with close) is left on the stack. */
static void lwa_client_metatable(lua_State *L, const char *name)
{
    static const luaL_Reg meta[] = {
        {"__gc", lwa_client_gc},
        {"__close", lwa_client_close},
        {"__tostring", lwa_client_tostring},
        {NULL, NULL},
    };
    luaL_newmetatable(L, name);
    lwa_setfuncs(L, meta, 0);
    lua_pushliteral(L, LWA_CLIENT_MT); /* a safe client is a client too */
    lua_setfield(L, -2, "__name");
    lua_createtable(L, 0, WA_OP_COUNT + 8);
    lua_pushcfunction(L, lwa_client_close);
    lua_setfield(L, -2, "close");
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__index");
    lua_remove(L, -2);
}

void lwa_client_open(lua_State *L)
{
    lua_pushcfunction(L, lwa_client_new);
    lua_setfield(L, -2, "new");
    lua_pushcfunction(L, lwa_client_new_safe);
    lua_setfield(L, -2, "new_safe");
    lwa_client_metatable(L, LWA_CLIENT_MT);
    lua_setfield(L, -2, "client_methods");
    lwa_client_metatable(L, LWA_SAFE_CLIENT_MT);
    lua_setfield(L, -2, "safe_client_methods");
}
