/* An embedded Lua 5.4 for the fuzz targets that reach the Lua half: lua-cjson and
 * whatsapp.groups.core linked in statically and preloaded, the Lua modules read from the
 * source tree, and Lua line coverage fed to libFuzzer. */
#ifndef LUA_HOST_H
#define LUA_HOST_H

#include <stddef.h>

#include <lua.h>

/* The state, made on first use and kept: fuzz/<script> is run once and must return the
 * checking function, which is kept too. */
lua_State *lua_host_state(const char *script);
/* Pushes the checking function. */
void lua_host_push_check(lua_State *L);
/* Calls the checking function (pushed, then nargs arguments); any error it raises is a
 * broken property: printed, then abort(). */
void lua_host_call(lua_State *L, int nargs);

#endif
