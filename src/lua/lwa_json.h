/* JSON through lua-cjson: a private cjson.safe instance, so a caller's cjson settings
 * never change what we send or how we read answers. */
#ifndef LWA_JSON_H
#define LWA_JSON_H

#include <stddef.h>

#include "lwa_compat.h"

/* Loads lua-cjson and keeps our instance in the registry. Raises if it is missing. */
void lwa_json_open(lua_State *L);

/* Replaces the value at the top of the stack with its JSON text; returns NULL (and
 * leaves cjson's message there) if it cannot be encoded. */
const char *lwa_json_encode(lua_State *L, size_t *len);

/* Pushes the decoded value, or nil when s is not JSON. */
void lwa_json_decode(lua_State *L, const char *s, size_t len);

/* Adds json_decode(text) -> value | nil, why, json_encode(value) -> text | nil, why and
 * json_null to the module table at the top. */
void lwa_json_export(lua_State *L);

#endif
