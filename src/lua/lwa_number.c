#include "lwa_number.h"

#define LWA_EXACT 9007199254740992.0 /* 2^53: past it, doubles skip integers */

/* Also false for NaN and the infinities. */
static int lwa_number_whole(lua_Number n)
{
    return n > -LWA_EXACT && n < LWA_EXACT && (lua_Number)(long long)n == n;
}

static int lwa_number_decimal(const char *s, size_t len, lua_Number *out)
{
    size_t i = s[0] == '-';
    lua_Number n = 0;

    if (len == i || len - i > 15) /* 15 digits: always below 2^53 */
        return 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        n = n * 10 + (s[i] - '0');
    }
    *out = s[0] == '-' ? -n : n;
    return 1;
}

int lwa_number_integer(lua_State *L, int idx, lua_Number *out)
{
    if (lua_type(L, idx) == LUA_TNUMBER) {
        lua_Number n = lua_tonumber(L, idx);
        if (!lwa_number_whole(n))
            return 0;
        *out = n;
        return 1;
    }
    if (lua_type(L, idx) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        return lwa_number_decimal(s, len, out);
    }
    return 0;
}

void lwa_number_push(lua_State *L, lua_Number n)
{
    if (lwa_number_whole(n))
        lua_pushinteger(L, (lua_Integer)n);
    else
        lua_pushnumber(L, n);
}

static int lwa_number_lua(lua_State *L)
{
    lua_Number n;
    if (lwa_number_integer(L, 1, &n))
        lwa_number_push(L, n);
    else
        lua_pushnil(L);
    return 1;
}

void lwa_number_open(lua_State *L)
{
    lua_pushcfunction(L, lwa_number_lua);
    lua_setfield(L, -2, "integer");
}
