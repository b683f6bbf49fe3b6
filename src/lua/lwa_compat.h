/* The few Lua 5.2+ auxiliary functions we use, for Lua 5.1 and LuaJIT. Private names,
 * so they never clash with the copies LuaJIT or another module ships. */
#ifndef LWA_COMPAT_H
#define LWA_COMPAT_H

#include <lauxlib.h>
#include <lua.h>

/* A userdata's one Lua value (a table here): its environment on 5.1 and LuaJIT. */
#if LUA_VERSION_NUM == 501
#define lwa_setuservalue(L, idx) lua_setfenv(L, idx)
#define lwa_getuservalue(L, idx) lua_getfenv(L, idx)
#define lwa_rawlen(L, idx) lua_objlen(L, idx)
#else
#define lwa_rawlen(L, idx) lua_rawlen(L, idx)
#define lwa_setuservalue(L, idx) lua_setuservalue(L, idx)
#define lwa_getuservalue(L, idx) ((void)lua_getuservalue(L, idx))
#endif

#if LUA_VERSION_NUM == 501
void lwa_setfuncs(lua_State *L, const luaL_Reg *l, int nup);
void *lwa_testudata(lua_State *L, int i, const char *tname);
#else
#define lwa_setfuncs luaL_setfuncs
#define lwa_testudata luaL_testudata
#endif

#endif
