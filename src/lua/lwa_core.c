/* whatsapp.groups.core: the C half of whatsapp.groups. Only calls each part's opener. */
#include <string.h>

#include "lwa_async.h"
#include "lwa_client.h"
#include "lwa_compat.h"
#include "lwa_error.h"
#include "lwa_json.h"
#include "lwa_transport.h"
#include "lwa_webhook.h"
#include "wa_ops.h"
#include "wa_version.h"

static int lwa_core_is_error(lua_State *L)
{
    lua_pushboolean(L, lwa_error_is(L, 1));
    return 1;
}

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

/* Refuses to load beside Lua files of another release (whatsapp.groups.version): the two
 * halves would disagree on what they pass each other, and fail later in ways that do not
 * say why. */
static void lwa_core_check_release(lua_State *L)
{
    const char *lua_release;

    lua_getglobal(L, "require");
    lua_pushliteral(L, "whatsapp.groups.version");
    lua_call(L, 1, 1);
    lua_release = lua_tostring(L, -1);
    if (lua_release == NULL || strcmp(lua_release, WA_VERSION) != 0)
        luaL_error(L, "whatsapp.groups.core is release " WA_VERSION " but the Lua files "
                   "(whatsapp.groups.version) are release %s: install both from one release",
                   lua_release != NULL ? lua_release : "(not a string)");
    lua_pop(L, 1);
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
    static const luaL_Reg funcs[] = {
        {"new", lwa_client_new},
        {"new_safe", lwa_client_new_safe},
        {"is_error", lwa_core_is_error},
        {NULL, NULL},
    };
    lwa_core_check_release(L);
    lwa_json_open(L);
    lwa_error_open(L);
    lwa_client_open(L);
    lua_newtable(L);
    lwa_setfuncs(L, funcs, 0);
    lwa_client_export(L);
    lwa_transport_open(L);
    lwa_webhook_open(L);
    lwa_async_open(L);
    lua_pushliteral(L, WA_VERSION);
    lua_setfield(L, -2, "VERSION");
    lua_pushliteral(L, LWA_DEFAULT_VERSION);
    lua_setfield(L, -2, "DEFAULT_VERSION");
    lua_pushliteral(L, LWA_DEFAULT_BASE_URL);
    lua_setfield(L, -2, "DEFAULT_BASE_URL");
    lwa_core_operations(L);
    luaL_getmetatable(L, LWA_ERROR_MT);
    lua_setfield(L, -2, "Error");
    return 1;
}
