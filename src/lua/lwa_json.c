#include "lwa_json.h"

#include <string.h>

static const char lwa_json_key = 'j'; /* registry key: address of this byte */

void lwa_json_open(lua_State *L)
{
    lua_getglobal(L, "require");
    lua_pushliteral(L, "cjson.safe");
    lua_call(L, 1, 1);
    lua_getfield(L, -1, "new");
    lua_call(L, 0, 1);
    lua_pushlightuserdata(L, (void *)&lwa_json_key);
    lua_insert(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
}

static void lwa_json_push_function(lua_State *L, const char *name)
{
    lua_pushlightuserdata(L, (void *)&lwa_json_key);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_getfield(L, -1, name);
    lua_remove(L, -2);
}

const char *lwa_json_encode(lua_State *L, size_t *len)
{
    lwa_json_push_function(L, "encode");
    lua_insert(L, -2);
    lua_call(L, 1, 2); /* the safe variant returns nil, message instead of raising */
    if (lua_isstring(L, -2)) {
        lua_pop(L, 1);
        return lua_tolstring(L, -1, len);
    }
    lua_remove(L, -2);
    return NULL;
}

void lwa_json_decode(lua_State *L, const char *s, size_t len)
{
    /* lua-cjson stops reading at a NUL byte and ignores the rest: "{}\0<html>" would
     * pass for JSON. JSON never holds a raw NUL. */
    if (len > 0 && memchr(s, '\0', len) != NULL) {
        lua_pushnil(L);
        return;
    }
    lwa_json_push_function(L, "decode");
    lua_pushlstring(L, s, len);
    lua_call(L, 1, 1);
}
