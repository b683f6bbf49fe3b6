/* whatsapp.groups.core: the C half of whatsapp.groups. Only calls each part's opener. */
#include "lwa_args.h"
#include "lwa_async.h"
#include "lwa_call.h"
#include "lwa_client.h"
#include "lwa_compat.h"
#include "lwa_error.h"
#include "lwa_json.h"
#include "lwa_number.h"
#include "lwa_transport.h"
#include "lwa_webhook.h"
#include "wa_clock.h"
#include "wa_ops.h"
#include "wa_version.h"

/* OPERATIONS: the operation names, in the order the core lists them. */
static void lwa_core_operations(lua_State *L)
{
    int id;
    lua_createtable(L, WA_OP_COUNT, 0);
    for (id = 0; id < WA_OP_COUNT; id++) {
        lua_pushstring(L, wa_op_get((wa_op_id)id)->name);
        lua_rawseti(L, -2, id + 1);
    }
    lua_setfield(L, -2, "OPERATIONS");
}

/* sleep(seconds): the wait between attempts outside nginx. */
static int lwa_core_sleep(lua_State *L)
{
    wa_sleep(luaL_checknumber(L, 1));
    return 0;
}

/* now() -> seconds on the monotonic clock the retries use. */
static int lwa_core_now(lua_State *L)
{
    lua_pushnumber(L, wa_now());
    return 1;
}

/* The only symbol the module exports (everything else is built hidden). */
#if defined(__GNUC__)
#define LWA_EXPORT __attribute__((visibility("default")))
#else
#define LWA_EXPORT
#endif

LWA_EXPORT int luaopen_whatsapp_groups_core(lua_State *L);

LWA_EXPORT int luaopen_whatsapp_groups_core(lua_State *L)
{
    lwa_json_open(L);
    lwa_error_open(L);
    lua_newtable(L);
    lwa_error_export(L);
    lwa_client_open(L);
    lwa_call_open(L);
    lwa_async_open(L);
    lwa_transport_open(L);
    lwa_webhook_open(L);
    lwa_number_open(L);
    lwa_args_export(L);
    lwa_json_export(L);
    lua_pushcfunction(L, lwa_core_sleep);
    lua_setfield(L, -2, "sleep");
    lua_pushcfunction(L, lwa_core_now);
    lua_setfield(L, -2, "now");
    lua_pushliteral(L, WA_VERSION); /* the Lua half checks it against its own */
    lua_setfield(L, -2, "VERSION");
    lua_pushliteral(L, LWA_DEFAULT_VERSION);
    lua_setfield(L, -2, "DEFAULT_VERSION");
    lua_pushliteral(L, LWA_DEFAULT_BASE_URL);
    lua_setfield(L, -2, "DEFAULT_BASE_URL");
    lua_pushinteger(L, (lua_Integer)LWA_DEFAULT_MAX_RESPONSE);
    lua_setfield(L, -2, "DEFAULT_MAX_RESPONSE_SIZE");
    lwa_core_operations(L);
    return 1;
}
