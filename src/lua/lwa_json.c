#include "lwa_json.h"

#include <string.h>

/* Registry keys (the addresses of these bytes) of the private instance's functions. */
static const char lwa_json_encode_key = 'e', lwa_json_decode_key = 'd';

/* registry[key] = field `name` of the table at the top. */
static void lwa_json_keep(lua_State *L, const char *key, const char *name)
{
    lua_pushlightuserdata(L, (void *)key);
    lua_getfield(L, -2, name);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

void lwa_json_open(lua_State *L)
{
    lua_getglobal(L, "require");
    lua_pushliteral(L, "cjson.safe");
    lua_call(L, 1, 1);
    lua_getfield(L, -1, "new");
    lua_call(L, 0, 1);
    lua_getfield(L, -1, "decode_invalid_numbers"); /* NaN, Infinity and hex are not JSON */
    lua_pushboolean(L, 0);
    lua_call(L, 1, 0);
    lwa_json_keep(L, &lwa_json_encode_key, "encode");
    lwa_json_keep(L, &lwa_json_decode_key, "decode");
    lua_pop(L, 2);
}

static void lwa_json_push_function(lua_State *L, const char *key)
{
    lua_pushlightuserdata(L, (void *)key);
    lua_rawget(L, LUA_REGISTRYINDEX);
}

const char *lwa_json_encode(lua_State *L, size_t *len)
{
    lwa_json_push_function(L, &lwa_json_encode_key);
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
    lwa_json_push_function(L, &lwa_json_decode_key);
    lua_pushlstring(L, s, len);
    lua_call(L, 1, 1);
}

/* json_decode and json_encode (our instance's: value or text, or nil and why) and
 * json_null, for the Lua modules. */
void lwa_json_export(lua_State *L)
{
    lwa_json_push_function(L, &lwa_json_decode_key);
    lua_setfield(L, -2, "json_decode");
    lwa_json_push_function(L, &lwa_json_encode_key);
    lua_setfield(L, -2, "json_encode");
    lua_pushlightuserdata(L, NULL); /* lua-cjson's null, the same in every instance */
    lua_setfield(L, -2, "json_null");
}
