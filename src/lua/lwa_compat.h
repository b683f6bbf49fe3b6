/* The few Lua 5.2+ auxiliary functions we use, for Lua 5.1 and LuaJIT. Private names,
 * so they never clash with the copies LuaJIT or another module ships. */
#ifndef LWA_COMPAT_H
#define LWA_COMPAT_H

#include <lauxlib.h>
#include <lua.h>

#if LUA_VERSION_NUM == 501
void lwa_setfuncs(lua_State *L, const luaL_Reg *l, int nup);
void *lwa_testudata(lua_State *L, int i, const char *tname);
#else
#define lwa_setfuncs luaL_setfuncs
#define lwa_testudata luaL_testudata
#endif

#endif
