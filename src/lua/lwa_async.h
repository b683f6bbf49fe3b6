/* The pump's Lua object: client:async{...} makes an Async whose submit starts a call at
 * once and whose poll drives libcurl's multi interface and runs the finished calls'
 * callbacks, outside any libcurl frame. */
#ifndef LWA_ASYNC_H
#define LWA_ASYNC_H

#include "lwa_compat.h"

#define LWA_ASYNC_MT "whatsapp.groups.Async"

/* Registers the metatable and adds to the module table at the top: async(client,
 * options), the raw constructor, and async_methods, the method table the Lua half
 * (whatsapp.groups.async) completes. */
void lwa_async_open(lua_State *L);
/* Adds the `async` method to the client method table at the top. */
void lwa_async_register(lua_State *L);

#endif
