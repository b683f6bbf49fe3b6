/* Setting a field of the table at the top of the stack. */
#ifndef LWA_TABLE_H
#define LWA_TABLE_H

#include <lua.h>

static inline void lwa_set_string(lua_State *L, const char *key, const char *s)
{
    lua_pushstring(L, s);
    lua_setfield(L, -2, key);
}

static inline void lwa_set_number(lua_State *L, const char *key, lua_Number n)
{
    lua_pushnumber(L, n);
    lua_setfield(L, -2, key);
}

#endif
