#include "lwa_args.h"

#include <stdio.h>
#include <string.h>

lwa_args lwa_args_table(lua_State *L, int arg, const char *name, const char *what,
                        const lwa_context *cx)
{
    lwa_args a;

    if (!lua_istable(L, arg))
        lwa_raise_validation(L, cx, "argument", name,
                             lua_pushfstring(L, "table expected, got %s", luaL_typename(L, arg)));
    a.L = L;
    a.index = arg < 0 ? lua_gettop(L) + arg + 1 : arg;
    a.what = what;
    a.prefix = "";
    a.cx = cx;
    return a;
}

int lwa_args_fail(const lwa_args *a, const char *key, const char *reason)
{
    const char *name = key;
    if (a->prefix[0] != '\0' && key != NULL)
        name = lua_pushfstring(a->L, "%s%s", a->prefix, key);
    return lwa_raise_validation(a->L, a->cx, a->what, name, reason);
}

static int lwa_args_is_known(const char *key, const char *const *names)
{
    for (; *names != NULL; names++)
        if (strcmp(*names, key) == 0)
            return 1;
    return 0;
}

void lwa_args_known(const lwa_args *a, const char *const *names)
{
    lua_State *L = a->L;

    lua_pushnil(L);
    while (lua_next(L, a->index) != 0) {
        size_t len;
        const char *key;
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pushfstring(L, "unknown %s (a %s key)", a->what, luaL_typename(L, -1));
            lwa_raise_validation(L, a->cx, a->what, NULL, lua_tostring(L, -1));
        }
        key = lua_tolstring(L, -1, &len);
        /* strcmp stops at a NUL: "subject\0x" must not pass for "subject" (tables copied
         * into the body would carry it to Graph unchecked). */
        if (strlen(key) != len)
            lwa_args_fail(a, key, "unknown name (it holds a NUL byte)");
        if (!lwa_args_is_known(key, names))
            lwa_args_fail(a, key, "unknown name");
    }
}

int lwa_args_push(const lwa_args *a, const char *key, int type)
{
    int got;

    /* Read without metamethods: what we check is what we use. */
    lua_pushstring(a->L, key);
    lua_rawget(a->L, a->index);
    got = lua_type(a->L, -1);
    if (got == type)
        return 1;
    if (got != LUA_TNIL)
        lwa_args_fail(a, key, lua_pushfstring(a->L, "%s expected, got %s", lua_typename(a->L, type),
                                              luaL_typename(a->L, -1)));
    lua_pop(a->L, 1);
    return 0;
}

const char *lwa_args_string(const lwa_args *a, const char *key, size_t *len)
{
    const char *s;

    if (!lwa_args_push(a, key, LUA_TSTRING))
        return NULL;
    /* The table keeps the string alive after it leaves the stack. */
    s = lua_tolstring(a->L, -1, len);
    lua_pop(a->L, 1);
    return s;
}

int lwa_args_number(const lwa_args *a, const char *key, lua_Number min, lua_Number max,
                    lua_Number *out)
{
    if (!lwa_args_push(a, key, LUA_TNUMBER))
        return 0;
    *out = lua_tonumber(a->L, -1);
    lua_pop(a->L, 1);
    if (!(*out >= min && *out <= max)) { /* also refuses NaN */
        char reason[96];
        snprintf(reason, sizeof reason, "must be a number from %g to %g", (double)min,
                 (double)max);
        lwa_args_fail(a, key, reason);
    }
    return 1;
}

/* check_table(operation, name, value, {key, ...}): value is nil, or a table whose keys
 * are all among the keys given; raises the validation error otherwise. The same checks
 * for the options tables the Lua modules read as for the C ones. */
static int lwa_args_check_table(lua_State *L)
{
    const char *names[17];
    lwa_context cx;
    lwa_args a;
    int i, n;

    memset(&cx, 0, sizeof cx);
    cx.operation = luaL_checkstring(L, 1);
    luaL_checkstring(L, 2);
    luaL_checktype(L, 4, LUA_TTABLE);
    if (lua_isnil(L, 3))
        return 0;
    n = (int)lwa_rawlen(L, 4);
    luaL_argcheck(L, n < 17, 4, "at most 16 names");
    for (i = 0; i < n; i++) {
        lua_rawgeti(L, 4, i + 1);
        names[i] = luaL_checkstring(L, -1); /* held by the list */
        lua_pop(L, 1);
    }
    names[n] = NULL;
    a = lwa_args_table(L, 3, lua_tostring(L, 2), "field", &cx);
    lwa_args_known(&a, names);
    return 0;
}

void lwa_args_export(lua_State *L)
{
    lua_pushcfunction(L, lwa_args_check_table);
    lua_setfield(L, -2, "check_table");
}

long lwa_args_list_length(lua_State *L, int idx)
{
    long n = 0, keys = 0;

    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pop(L, 1);
        keys++;
        if (lua_type(L, -1) != LUA_TNUMBER) {
            lua_pop(L, 1);
            return -1;
        }
    }
    for (n = 0; n < keys; n++) { /* keys must be exactly 1..n */
        lua_rawgeti(L, idx, (int)n + 1);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            return -1;
        }
        lua_pop(L, 1);
    }
    return n;
}
