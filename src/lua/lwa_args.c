#include "lwa_args.h"

#include <stdio.h>
#include <string.h>

lwa_args lwa_args_table(lua_State *L, int arg, const char *what, const lwa_context *cx)
{
    lwa_args a;

    if (!lua_istable(L, arg)) {
        lua_pushfstring(L, "bad argument #%d to '%s' (table expected, got %s)", arg,
                        cx->operation, luaL_typename(L, arg));
        lwa_raise_validation(L, cx, what, NULL, lua_tostring(L, -1));
    }
    a.L = L;
    a.index = arg < 0 ? lua_gettop(L) + arg + 1 : arg;
    a.what = what;
    a.cx = cx;
    return a;
}

int lwa_args_fail(const lwa_args *a, const char *key, const char *reason)
{
    return lwa_raise_validation(a->L, a->cx, a->what, key, reason);
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
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pushfstring(L, "unknown %s (a %s key)", a->what, luaL_typename(L, -1));
            lwa_raise_validation(L, a->cx, a->what, NULL, lua_tostring(L, -1));
        }
        if (!lwa_args_is_known(lua_tostring(L, -1), names))
            lwa_args_fail(a, lua_tostring(L, -1), "unknown name");
    }
}

/* Pushes t[key] without metamethods: what we check is what we use. */
static int lwa_args_get(const lwa_args *a, const char *key)
{
    lua_pushstring(a->L, key);
    lua_rawget(a->L, a->index);
    return lua_type(a->L, -1);
}

static void lwa_args_type_error(const lwa_args *a, const char *key, const char *expected)
{
    const char *reason = lua_pushfstring(a->L, "%s expected, got %s", expected,
                                         luaL_typename(a->L, -1));
    lwa_args_fail(a, key, reason);
}

const char *lwa_args_string(const lwa_args *a, const char *key, size_t *len)
{
    int type = lwa_args_get(a, key);
    const char *s;

    if (type == LUA_TNIL) {
        lua_pop(a->L, 1);
        return NULL;
    }
    if (type != LUA_TSTRING)
        lwa_args_type_error(a, key, "string");
    /* The table keeps the string alive after it leaves the stack. */
    s = lua_tolstring(a->L, -1, len);
    lua_pop(a->L, 1);
    return s;
}

int lwa_args_number(const lwa_args *a, const char *key, lua_Number min, lua_Number max,
                    lua_Number *out)
{
    int type = lwa_args_get(a, key);

    if (type == LUA_TNIL) {
        lua_pop(a->L, 1);
        return 0;
    }
    if (type != LUA_TNUMBER)
        lwa_args_type_error(a, key, "number");
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
