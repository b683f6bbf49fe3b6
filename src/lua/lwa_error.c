#include "lwa_error.h"

#include <string.h>

#include "lwa_number.h"

static const char lwa_redacted[] = "[REDACTED]";

void lwa_error_push_redacted(lua_State *L, const lwa_context *cx, const char *s, size_t len)
{
    luaL_Buffer b;
    size_t i = 0;

    if (cx->secret == NULL || cx->secret_len == 0 || cx->secret_len > len) {
        lua_pushlstring(L, s, len);
        return;
    }
    luaL_buffinit(L, &b);
    while (i < len) {
        if (len - i >= cx->secret_len && memcmp(s + i, cx->secret, cx->secret_len) == 0) {
            luaL_addstring(&b, lwa_redacted);
            i += cx->secret_len;
        } else
            luaL_addchar(&b, s[i++]);
    }
    luaL_pushresult(&b);
}

void lwa_error_set_string(lua_State *L, const lwa_context *cx, const char *key,
                          const char *s, size_t len)
{
    lwa_error_push_redacted(L, cx, s, len);
    lua_setfield(L, -2, key);
}

/* Whole numbers become integers on Lua 5.3+, so codes print as 100, not 100.0. */
void lwa_error_set_number(lua_State *L, const char *key, lua_Number n)
{
    lwa_number_push(L, n);
    lua_setfield(L, -2, key);
}

void lwa_error_set_boolean(lua_State *L, const char *key, int b)
{
    lua_pushboolean(L, b);
    lua_setfield(L, -2, key);
}

void lwa_error_new(lua_State *L, const lwa_context *cx, wa_kind kind)
{
    lua_createtable(L, 0, 16);
    luaL_getmetatable(L, LWA_ERROR_MT);
    lua_setmetatable(L, -2);
    lua_pushstring(L, wa_kind_name(kind));
    lua_setfield(L, -2, "kind");
    lua_pushstring(L, cx->operation);
    lua_setfield(L, -2, "operation");
    if (cx->method != NULL) {
        lua_pushstring(L, cx->method);
        lua_setfield(L, -2, "method");
    }
    if (cx->path != NULL)
        lwa_error_set_string(L, cx, "path", cx->path, strlen(cx->path));
    lwa_error_set_number(L, "attempts", cx->attempts);
}

int lwa_raise_validation(lua_State *L, const lwa_context *cx, const char *what,
                         const char *field, const char *reason)
{
    lwa_error_new(L, cx, WA_KIND_VALIDATION);
    if (field != NULL) {
        lua_pushfstring(L, "bad %s '%s': %s", what, field, reason);
        lua_setfield(L, -2, "message");
        lwa_error_set_string(L, cx, "field", field, strlen(field));
    } else {
        lwa_error_set_string(L, cx, "message", reason, strlen(reason));
    }
    lwa_error_set_string(L, cx, "reason", reason, strlen(reason));
    lua_pushstring(L, wa_outcome_name(WA_OUTCOME_NOT_SENT));
    lua_setfield(L, -2, "outcome");
    lwa_error_set_boolean(L, "retryable", 0);
    return lua_error(L);
}

int lwa_raise_network(lua_State *L, const lwa_context *cx, const char *message)
{
    lwa_error_new(L, cx, WA_KIND_NETWORK);
    lwa_error_set_string(L, cx, "message", message, strlen(message));
    return lua_error(L);
}

int lwa_error_is(lua_State *L, int idx)
{
    int same;
    if (!lua_istable(L, idx) || !lua_getmetatable(L, idx))
        return 0;
    luaL_getmetatable(L, LWA_ERROR_MT);
    same = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return same;
}


/* Pushes t[key] as a string if it is a string or a number; returns whether it did. */
static int lwa_push_field(lua_State *L, const char *key)
{
    lua_getfield(L, 1, key);
    if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER) {
        lua_tostring(L, -1);
        return 1;
    }
    lua_pop(L, 1);
    return 0;
}

/* "whatsapp.groups: api error: <message> (HTTP 400, code 100, ...) [create POST /path]",
 * built as pieces on the stack and joined once. */
static int lwa_error_tostring(lua_State *L)
{
    static const char *const facts[][2] = {
        {"HTTP ", "http_status"}, {"code ", "code"}, {"subcode ", "subcode"},
        {"curl error ", "curl_code"}, {"details: ", "details"}, {"hint: ", "hint"},
        {"fbtrace_id ", "fbtrace_id"},
    };
    int top, shown = 0;
    size_t i;

    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkstack(L, 48, "error text");
    lua_settop(L, 1);
    lua_pushliteral(L, "whatsapp.groups: ");
    if (lwa_push_field(L, "kind"))
        lua_pushliteral(L, " error: ");
    lwa_push_field(L, "message");
    for (i = 0; i < sizeof facts / sizeof facts[0]; i++) {
        lua_pushstring(L, shown ? ", " : " (");
        lua_pushstring(L, facts[i][0]);
        if (lwa_push_field(L, facts[i][1]))
            shown++;
        else
            lua_pop(L, 2);
    }
    /* Only an unknown outcome needs saying: the caller must reconcile it. */
    lua_getfield(L, 1, "outcome");
    if (lua_isstring(L, -1) && strcmp(lua_tostring(L, -1), "unknown") == 0) {
        lua_pop(L, 1);
        lua_pushstring(L, shown++ ? ", " : " (");
        lua_pushliteral(L, "outcome unknown");
    } else
        lua_pop(L, 1);
    if (shown)
        lua_pushliteral(L, ")");
    lua_pushliteral(L, " [");
    lwa_push_field(L, "operation");
    for (i = 0; i < 2; i++) {
        lua_pushliteral(L, " ");
        if (!lwa_push_field(L, i == 0 ? "method" : "path"))
            lua_pop(L, 1);
    }
    lua_pushliteral(L, "]");
    top = lua_gettop(L);
    lua_concat(L, top - 1);
    return 1;
}

/* Raises validation(operation, what, field, reason). */
static int lwa_error_raise_validation(lua_State *L)
{
    lwa_context cx;

    memset(&cx, 0, sizeof cx);
    cx.operation = luaL_checkstring(L, 1);
    return lwa_raise_validation(L, &cx, luaL_checkstring(L, 2), luaL_optstring(L, 3, NULL),
                                luaL_checkstring(L, 4));
}

/* validation_error(operation, what, field, reason) -> the error object, not raised: for
 * the checks the Lua modules make. */
static int lwa_error_validation(lua_State *L)
{
    lua_settop(L, 4);
    lua_pushcfunction(L, lwa_error_raise_validation);
    lua_insert(L, 1);
    lua_pcall(L, 4, 1, 0);
    return 1;
}

/* error(kind, operation, message, [fields]) -> an error object of that kind, with
 * outcome and retryable from fields (default unknown, false) and any other field copied:
 * for the errors the Lua modules make (a webhook that is not the envelope, ...). */
static int lwa_error_make(lua_State *L)
{
    const char *kinds[WA_KIND_COUNT + 1];
    lwa_context cx;
    int kind;

    for (kind = 0; kind < WA_KIND_COUNT; kind++) /* "ok" is no error: it never matches */
        kinds[kind] = kind == WA_KIND_OK ? "" : wa_kind_name((wa_kind)kind);
    kinds[WA_KIND_COUNT] = NULL;
    kind = luaL_checkoption(L, 1, NULL, kinds);

    memset(&cx, 0, sizeof cx);
    cx.operation = luaL_checkstring(L, 2);
    luaL_checkstring(L, 3);
    lua_settop(L, 4);
    lwa_error_new(L, &cx, (wa_kind)kind);
    lua_pushvalue(L, 3);
    lua_setfield(L, -2, "message");
    lua_pushstring(L, wa_outcome_name(WA_OUTCOME_UNKNOWN));
    lua_setfield(L, -2, "outcome");
    lwa_error_set_boolean(L, "retryable", 0);
    if (lua_istable(L, 4)) {
        lua_pushnil(L);
        while (lua_next(L, 4) != 0) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, 5);
        }
    }
    return 1;
}

static int lwa_error_is_lua(lua_State *L)
{
    lua_pushboolean(L, lwa_error_is(L, 1));
    return 1;
}

void lwa_error_export(lua_State *L)
{
    static const luaL_Reg funcs[] = {
        {"error", lwa_error_make},
        {"validation_error", lwa_error_validation},
        {"is_error", lwa_error_is_lua},
        {NULL, NULL},
    };
    lwa_setfuncs(L, funcs, 0);
    luaL_getmetatable(L, LWA_ERROR_MT);
    lua_setfield(L, -2, "Error");
}

void lwa_error_open(lua_State *L)
{
    luaL_newmetatable(L, LWA_ERROR_MT);
    lua_pushcfunction(L, lwa_error_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushstring(L, LWA_ERROR_MT);
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);
}
