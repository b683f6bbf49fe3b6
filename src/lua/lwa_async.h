/* The pump's C half: an Async object holds a libcurl multi handle (shared with others
 * made with `pump = other`) and the client's settings copied for it. It carries calls
 * (lwa_call) for the one attempt loop, which the Lua half (whatsapp.groups.async) runs in
 * a coroutine per call: pump_start hands an attempt to libcurl, pump_poll drives libcurl
 * and returns the calls whose attempt has its answer. No Lua code runs in here, so none
 * can cross a libcurl frame. */
#ifndef LWA_ASYNC_H
#define LWA_ASYNC_H

#include "lwa_compat.h"

#define LWA_ASYNC_MT "whatsapp.groups.Async"
#define LWA_SAFE_ASYNC_MT "whatsapp.groups.SafeAsync"

/* Registers both metatables and adds async, the pump_* functions, async_methods and
 * safe_async_methods (the method tables the facade fills) to the module table at the top. */
void lwa_async_open(lua_State *L);

#endif
