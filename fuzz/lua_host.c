#include "lua_host.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <lauxlib.h>
#include <lualib.h>

int luaopen_cjson(lua_State *L);
int luaopen_cjson_safe(lua_State *L);
int luaopen_whatsapp_groups_core(lua_State *L);

/* The repository's root, set by fuzz.mk, so the targets run from any directory. */
#ifndef FUZZ_ROOT
#define FUZZ_ROOT "."
#endif

/* libFuzzer reads these counters as extra coverage: without them it would see only the C
 * code, and could not tell which paths of webhook.lua an input took. A counter per pair of
 * consecutive lines, hashed (AFL's edge trick). */
#define LUA_HOST_EDGES 8192
__attribute__((used, section("__libfuzzer_extra_counters")))
static uint8_t lua_host_edges[LUA_HOST_EDGES];

static void lua_host_line(lua_State *L, lua_Debug *ar)
{
    static unsigned prev;
    unsigned cur = (unsigned)ar->currentline * 2654435761u;

    (void)L;
    lua_host_edges[(cur ^ prev) % LUA_HOST_EDGES]++;
    prev = cur >> 1;
}

static int lua_host_check_ref = LUA_NOREF;

static void lua_host_preload(lua_State *L, const char *name, lua_CFunction open)
{
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_pushcfunction(L, open);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

static void lua_host_fail(lua_State *L, const char *when)
{
    fprintf(stderr, "lua_host: %s: %s\n", when, luaL_tolstring(L, -1, NULL));
    abort();
}

lua_State *lua_host_state(const char *script)
{
    static lua_State *L;

    if (L != NULL)
        return L;
    L = luaL_newstate();
    if (L == NULL)
        abort();
    luaL_openlibs(L);
    lua_host_preload(L, "cjson", luaopen_cjson);
    lua_host_preload(L, "cjson.safe", luaopen_cjson_safe);
    lua_host_preload(L, "whatsapp.groups.core", luaopen_whatsapp_groups_core);
    lua_getglobal(L, "package");
    lua_pushliteral(L, FUZZ_ROOT "/src/?.lua");
    lua_setfield(L, -2, "path");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "cpath"); /* nothing from the system: what runs is what we built */
    lua_pop(L, 1);
    lua_pushfstring(L, "%s/fuzz/%s", FUZZ_ROOT, script);
    if (luaL_loadfile(L, lua_tostring(L, -1)) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK)
        lua_host_fail(L, "setting up");
    lua_host_check_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_settop(L, 0);
    lua_sethook(L, lua_host_line, LUA_MASKLINE, 0);
    return L;
}

void lua_host_push_check(lua_State *L)
{
    lua_rawgeti(L, LUA_REGISTRYINDEX, lua_host_check_ref);
}

void lua_host_call(lua_State *L, int nargs)
{
    if (lua_pcall(L, nargs, 0, 0) != LUA_OK)
        lua_host_fail(L, "property failed");
    lua_settop(L, 0);
    /* Frees this run's garbage now: libFuzzer looks for leaks (a slow scan) whenever a run
     * ends with more mallocs than frees, so an uncollected heap would make it scan always,
     * while a collected one lets it point at what the C code really leaked. */
    lua_gc(L, LUA_GCCOLLECT, 0);
}
