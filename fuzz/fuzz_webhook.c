/* webhook.parse on any bytes: events, or our protocol error; anything else (a Lua error
 * from inside the parser, a crash) is a bug. The checks are in webhook_check.lua. */
#include "fuzz.h"
#include "lua_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lua_State *L = lua_host_state("webhook_check.lua");

    lua_host_push_check(L);
    lua_pushlstring(L, (const char *)data, size);
    lua_host_call(L, 1);
    return 0;
}
