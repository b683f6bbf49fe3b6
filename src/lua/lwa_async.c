#include "lwa_async.h"

#include <stdlib.h>
#include <string.h>

#include "lwa_args.h"
#include "lwa_call.h"
#include "lwa_client.h"
#include "lwa_error.h"
#include "wa_multi.h"

#define LWA_ASYNC_DEFAULT_IN_FLIGHT 32
#define LWA_ASYNC_MAX_IN_FLIGHT 1024

typedef struct lwa_slot lwa_slot;

/* What a client's calls need once submitted, copied from it: the pump works on when the
 * client is closed. Held by its Async object and by each of its slots. */
typedef struct lwa_profile {
    wa_http_profile http;        /* libcurl settings */
    lwa_slot *slots;             /* its calls in the multi handle (queued, running, done) */
    int refs;
} lwa_profile;

/* The libcurl multi handle; shared by the Async objects made with `pump = other`. Held
 * by each open Async object and by each slot. */
typedef struct lwa_pump {
    wa_multi *multi;
    int refs;
} lwa_pump;

/* The pump's hold on one call, from its first attempt until it ends or is cancelled. */
struct lwa_slot {
    lwa_slot *prev, *next;       /* in profile->slots */
    wa_multi_xfer *xfer;
    lwa_profile *profile;
    lwa_pump *pump;
    lwa_call *call;
    int ref;                     /* registry reference: the call is not collected meanwhile */
    int queued;                  /* when cancelled: its attempt had not reached libcurl */
    wa_http_response rs;         /* the attempt's answer, once poll took it */
};

typedef struct lwa_async {
    lwa_pump *pump;              /* NULL once closed */
    lwa_profile *profile;
    int client;                  /* registry reference: keeps the client alive */
} lwa_async;

static lwa_async *lwa_async_check(lua_State *L, int idx)
{
    lwa_async *a = lwa_testudata(L, idx, LWA_ASYNC_MT);
    if (a == NULL)
        a = lwa_testudata(L, idx, LWA_SAFE_ASYNC_MT);
    return a != NULL ? a : luaL_checkudata(L, idx, LWA_ASYNC_MT); /* raises */
}

static lwa_async *lwa_async_check_open(lua_State *L, int idx, const char *operation)
{
    lwa_async *a = lwa_async_check(L, idx);

    if (a->pump == NULL) {
        lwa_context cx = {operation, NULL, NULL, NULL, 0, 0};
        lwa_raise_validation(L, &cx, "argument", NULL, "the pump is closed");
    }
    return a;
}

static void lwa_profile_release(lwa_profile *p)
{
    if (p == NULL || --p->refs > 0)
        return;
    wa_http_profile_free(&p->http);
    free(p);
}

/* Frees the multi handle with its last holder. No call is left in it then: each Async
 * object cancels its own when closed, and each slot holds the pump. */
static void lwa_pump_release(lwa_pump *pump)
{
    if (pump == NULL || --pump->refs > 0)
        return;
    wa_multi_free(pump->multi);
    free(pump);
}

static void lwa_slot_link(lwa_slot *s)
{
    lwa_profile *p = s->profile;
    s->prev = NULL;
    s->next = p->slots;
    if (p->slots != NULL)
        p->slots->prev = s;
    p->slots = s;
}

static void lwa_slot_unlink(lwa_slot *s)
{
    lwa_profile *p = s->profile;
    if (p->slots == s)
        p->slots = s->next;
    else if (s->prev != NULL)
        s->prev->next = s->next;
    if (s->next != NULL)
        s->next->prev = s->prev;
    s->prev = s->next = NULL;
}

/* Lets go of a slot whose transfer is finished or cancelled. */
static void lwa_slot_free(lua_State *L, lwa_slot *s)
{
    s->call->carrier = NULL;
    if (s->call->rs == &s->rs)
        s->call->rs = NULL;
    luaL_unref(L, LUA_REGISTRYINDEX, s->ref);
    lwa_profile_release(s->profile);
    lwa_pump_release(s->pump);
    free(s);
}

/* ---- creation ---------------------------------------------------------------------- */

typedef struct lwa_async_options {
    lua_Number max_in_flight, max_host_connections, max_streams;
    lwa_async *share;            /* the Async object whose pump to share, or NULL */
} lwa_async_options;

static void lwa_async_whole(const lwa_args *a, const char *key, lua_Number *out)
{
    if (lwa_args_number(a, key, 1, LWA_ASYNC_MAX_IN_FLIGHT, out) &&
        *out != (lua_Number)(int)*out)
        lwa_args_fail(a, key, "must be a whole number");
}

static void lwa_async_read_options(lua_State *L, lwa_async_options *o)
{
    static const char *const names[] = {"max_in_flight", "max_host_connections", "max_streams",
                                        "pump", NULL};
    lwa_context cx = {"async", NULL, NULL, NULL, 0, 0};
    lwa_args a;

    o->max_in_flight = 0;
    o->max_host_connections = 0;
    o->max_streams = 0;
    o->share = NULL;
    if (lua_isnoneornil(L, 2))
        return;
    a = lwa_args_table(L, 2, "options", "option", &cx);
    lwa_args_known(&a, names);
    lwa_async_whole(&a, "max_in_flight", &o->max_in_flight);
    lwa_async_whole(&a, "max_host_connections", &o->max_host_connections);
    lwa_async_whole(&a, "max_streams", &o->max_streams);
    if (lwa_args_push(&a, "pump", LUA_TUSERDATA)) {
        o->share = lwa_testudata(L, -1, LWA_ASYNC_MT);
        if (o->share == NULL)
            o->share = lwa_testudata(L, -1, LWA_SAFE_ASYNC_MT);
        lua_pop(L, 1);
        if (o->share == NULL)
            lwa_args_fail(&a, "pump", "an Async object (client:async{}) expected");
        else if (o->share->pump == NULL)
            lwa_args_fail(&a, "pump", "that pump is closed");
        if (o->max_in_flight > 0 || o->max_host_connections > 0 || o->max_streams > 0)
            lwa_args_fail(&a, "pump", "a shared pump keeps its own limits");
    }
    if (o->max_in_flight == 0)
        o->max_in_flight = LWA_ASYNC_DEFAULT_IN_FLIGHT;
}

static int lwa_async_fail_new(lua_State *L, const char *why)
{
    lwa_context cx = {"async", NULL, NULL, NULL, 0, 0};
    return lwa_raise_network(L, &cx, why);
}

/* The pump carries calls through libcurl only: a client with a transport function (the
 * nginx one included) must not be carried around it. */
static void lwa_async_need_libcurl(lua_State *L)
{
    lwa_client_push(L, 1, LWA_CLIENT_TRANSPORT);
    if (!lua_isnil(L, -1)) {
        lwa_context cx = {"async", NULL, NULL, NULL, 0, 0};
        lwa_raise_validation(L, &cx, "argument", "client",
                             "this client carries its calls through its transport function "
                             "(nginx's, inside nginx), which a pump would go around: call "
                             "its methods from your own coroutines or light threads instead");
    }
    lua_pop(L, 1);
}

static lwa_profile *lwa_async_profile(const lwa_client *c)
{
    lwa_profile *p = calloc(1, sizeof *p);

    if (p == NULL)
        return NULL;
    p->refs = 1;
    /* A copy that shares the client's CA store: no second parse of the bundle. */
    if (wa_http_profile_copy(&p->http, wa_http_settings(c->http)) != 0) {
        wa_http_profile_free(&p->http);
        free(p);
        return NULL;
    }
    return p;
}

/* The shared pump, or a new one; NULL when libcurl could not be set up (*why says). */
static lwa_pump *lwa_async_new_pump(const lwa_async_options *o, const char **why)
{
    lwa_pump *pump;

    if (o->share != NULL) {
        o->share->pump->refs++;
        return o->share->pump;
    }
    pump = calloc(1, sizeof *pump);
    if (pump == NULL) {
        *why = "out of memory";
        return NULL;
    }
    pump->multi = wa_multi_new((int)o->max_in_flight, (int)o->max_host_connections, why);
    if (pump->multi == NULL) {
        free(pump);
        return NULL;
    }
    if (o->max_streams > 0)
        wa_multi_set_max_streams(pump->multi, (int)o->max_streams);
    pump->refs = 1;
    return pump;
}

/* async(client, options) -> a new Async object; raises a validation error for bad options. */
static int lwa_async_new(lua_State *L)
{
    lwa_client *c = lwa_client_check_open(L, 1, "async");
    lwa_async_options o;
    const char *why = "out of memory";
    lwa_async *a;

    lua_settop(L, 2);
    lwa_async_need_libcurl(L);
    lwa_async_read_options(L, &o);
    a = lua_newuserdata(L, sizeof *a);
    memset(a, 0, sizeof *a);
    a->client = LUA_NOREF;
    luaL_getmetatable(L, lwa_client_is_safe(L, 1) ? LWA_SAFE_ASYNC_MT : LWA_ASYNC_MT);
    lua_setmetatable(L, -2); /* from here __gc frees whatever was built */
    a->profile = lwa_async_profile(c);
    if (a->profile == NULL)
        return lwa_async_fail_new(L, "the client's settings could not be copied");
    a->pump = lwa_async_new_pump(&o, &why);
    if (a->pump == NULL)
        return lwa_async_fail_new(L, why);
    lua_pushvalue(L, 1);
    a->client = luaL_ref(L, LUA_REGISTRYINDEX);
    return 1;
}

/* ---- carrying -------------------------------------------------------------------------- */

/* pump_start(async, call, delay) -> true once the attempt is handed to libcurl (to start
 * after delay seconds), or false when the pump is closed (the call then has its answer). */
static int lwa_async_start(lua_State *L)
{
    lwa_async *a = lwa_async_check(L, 1);
    lwa_call *call = lwa_call_check(L, 2);
    double delay = luaL_optnumber(L, 3, 0);
    lwa_slot *s = call->carrier;

    lwa_call_begin(call, delay);
    if (s != NULL) { /* a retry of the transfer poll handed out */
        wa_multi_retry(s->pump->multi, s->xfer, delay);
        lua_pushboolean(L, 1);
        return 1;
    }
    if (a->pump == NULL) {
        lwa_call_push_closed(L, call, "pump", 1);
        lwa_call_keep_error(L, call, 2);
        lua_pushboolean(L, 0);
        return 1;
    }
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return luaL_error(L, "out of memory");
    s->call = call;
    s->xfer = wa_multi_submit(a->pump->multi, &a->profile->http, &call->rq.http, delay, s);
    if (s->xfer == NULL) {
        free(s);
        return luaL_error(L, "out of memory");
    }
    lua_pushvalue(L, 2);
    s->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    s->profile = a->profile;
    s->profile->refs++;
    s->pump = a->pump;
    s->pump->refs++;
    call->carrier = s;
    lwa_slot_link(s);
    lua_pushboolean(L, 1);
    return 1;
}

/* pump_poll(async, timeout_ms) -> the calls whose attempt has its answer, each now ready
 * to settle (any Async object's of the shared pump). */
static int lwa_async_poll(lua_State *L)
{
    lwa_async *a = lwa_async_check_open(L, 1, "poll");
    lua_Number ms = luaL_optnumber(L, 2, 0);
    wa_http_response rs;
    wa_multi_xfer *x;
    int n = 0;

    luaL_argcheck(L, ms >= 0, 2, "milliseconds expected (0 or more)");
    wa_multi_poll(a->pump->multi, ms > 86400000 ? 86400000L : (long)ms);
    lua_newtable(L);
    while ((x = wa_multi_take(a->pump->multi, &rs)) != NULL) {
        lwa_slot *s = wa_multi_xfer_data(x);
        s->rs = rs; /* its body stays in the transfer until it is finished or retried */
        s->call->rs = &s->rs;
        s->call->answered = 1;
        s->call->from_client = 0;
        lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref);
        lua_rawseti(L, -2, ++n);
    }
    wa_multi_kick(a->pump->multi);
    return 1;
}

/* pump_finish(call): the call ended; the pump lets go of it. */
static int lwa_async_finish(lua_State *L)
{
    lwa_call *call = lwa_call_check(L, 1);
    lwa_slot *s = call->carrier;

    if (s != NULL) {
        wa_multi_finish(s->pump->multi, s->xfer);
        lwa_slot_unlink(s);
        lwa_slot_free(L, s);
    }
    return 0;
}

static int lwa_async_in_flight(lua_State *L)
{
    lwa_async *a = lwa_async_check(L, 1);
    lua_pushinteger(L, a->pump == NULL ? 0 : (lua_Integer)wa_multi_in_flight(a->pump->multi));
    return 1;
}

static int lwa_async_client(lua_State *L)
{
    lwa_async *a = lwa_async_check(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, a->client); /* nil once closed (LUA_NOREF) */
    return 1;
}

/* ---- closing ------------------------------------------------------------------------- */

/* Cancels this object's calls and lets go of everything; with out (a stack index), each
 * cancelled call and the error it gets are appended there. Safe to call again. */
static void lwa_async_close_now(lua_State *L, lwa_async *a, int out)
{
    lwa_slot *mine, *s, *next;

    if (a->pump != NULL) {
        int n = 0;
        /* First take the calls out of libcurl, allocating nothing in Lua, so that no
         * finalizer can run meanwhile and find them half-cancelled. */
        mine = a->profile->slots;
        a->profile->slots = NULL;
        for (s = mine; s != NULL; s = s->next) {
            s->queued = wa_multi_xfer_state(s->xfer) == WA_XFER_QUEUED;
            wa_multi_cancel(a->pump->multi, s->xfer);
            s->xfer = NULL;
        }
        lwa_pump_release(a->pump);
        a->pump = NULL;
        for (s = mine; s != NULL; s = next) {
            next = s->next;
            if (out != 0) {
                lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref);
                lua_rawseti(L, out, ++n);
                lwa_call_push_closed(L, s->call, "pump", s->queued);
                lua_rawseti(L, out, ++n);
            }
            lwa_slot_free(L, s);
        }
    }
    luaL_unref(L, LUA_REGISTRYINDEX, a->client);
    a->client = LUA_NOREF;
    lwa_profile_release(a->profile);
    a->profile = NULL;
}

/* pump_close(async) -> {call, error, call, error, ...}: what was cancelled. */
static int lwa_async_close(lua_State *L)
{
    lwa_async *a = lwa_async_check(L, 1);

    lua_settop(L, 1);
    lua_newtable(L);
    lwa_async_close_now(L, a, 2);
    return 1;
}

static int lwa_async_gc(lua_State *L)
{
    lwa_async_close_now(L, lwa_async_check(L, 1), 0);
    return 0;
}

static int lwa_async_tostring(lua_State *L)
{
    lwa_async *a = lwa_async_check(L, 1);
    if (a->pump == NULL)
        lua_pushfstring(L, "%s (closed)", LWA_ASYNC_MT);
    else
        lua_pushfstring(L, "%s (%p)", LWA_ASYNC_MT, (void *)a);
    return 1;
}

static void lwa_async_metatable(lua_State *L, const char *name, const char *methods)
{
    luaL_newmetatable(L, name);
    lua_pushcfunction(L, lwa_async_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, lwa_async_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, LWA_ASYNC_MT); /* a safe pump is a pump too */
    lua_setfield(L, -2, "__name");
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__index");
    lua_setfield(L, -3, methods); /* module table, below the metatable */
    lua_pop(L, 1);
}

void lwa_async_open(lua_State *L)
{
    static const luaL_Reg funcs[] = {
        {"async", lwa_async_new},
        {"pump_start", lwa_async_start},
        {"pump_poll", lwa_async_poll},
        {"pump_finish", lwa_async_finish},
        {"pump_close", lwa_async_close},
        {"pump_in_flight", lwa_async_in_flight},
        {"pump_client", lwa_async_client},
        {NULL, NULL},
    };
    lwa_async_metatable(L, LWA_ASYNC_MT, "async_methods");
    lwa_async_metatable(L, LWA_SAFE_ASYNC_MT, "safe_async_methods");
    lwa_setfuncs(L, funcs, 0);
}
