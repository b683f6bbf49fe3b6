#include "lwa_async.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lwa_args.h"
#include "lwa_client.h"
#include "lwa_error.h"
#include "lwa_request.h"
#include "lwa_response.h"
#include "lwa_retry.h"
#include "wa_clock.h"
#include "wa_multi.h"

#define LWA_ASYNC_DEFAULT_IN_FLIGHT 32
#define LWA_ASYNC_MAX_IN_FLIGHT 1024
#define LWA_ASYNC_WAIT_SLICE_MS 1000

typedef struct lwa_call lwa_call;

/* What a client's calls need once submitted, copied from it: the pump works on when the
 * client is closed. Held by its Async object and by each of its calls. */
typedef struct lwa_profile {
    wa_http_profile http;        /* libcurl settings; its token redacts errors */
    lwa_call *calls;             /* its calls in the multi handle (queued, running, done) */
    size_t max_response;
    wa_retry_policy policy;
    int on_retry;                /* registry reference to the client's hook, or LUA_NOREF */
    int refs;
    int closed;                  /* its Async object was closed: no more retries */
} lwa_profile;

/* The libcurl multi handle; shared by the Async objects made with `pump = other`. Held
 * by each open Async object and by each poll under way. */
typedef struct lwa_pump {
    wa_multi *multi;
    int refs;
    unsigned long random;        /* xorshift state for backoff jitter */
} lwa_pump;

struct lwa_call {
    lwa_call *prev, *next;       /* in profile->calls, or unlinked while being settled */
    wa_multi_xfer *xfer;
    lwa_profile *profile;
    const wa_op *op;
    lwa_request rq;              /* its strings live in the hold table */
    wa_retry_policy policy;
    double started;              /* wa_now() when submitted: max_elapsed counts from it */
    wa_outcome outcome;          /* what the last attempt came to (not_sent before any) */
    wa_xfer_state state;         /* where it was when its pump was closed */
    int hold;                    /* registry reference to {prepared request, callback} */
};

typedef struct lwa_async {
    lwa_pump *pump;              /* NULL once closed */
    lwa_profile *profile;
    int client;                  /* registry reference: keeps the client alive */
    int safe;                    /* a safe client's: submit returns nil, err */
} lwa_async;

static lwa_async *lwa_async_check(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, LWA_ASYNC_MT);
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

static void lwa_profile_release(lua_State *L, lwa_profile *p)
{
    if (p == NULL || --p->refs > 0)
        return;
    luaL_unref(L, LUA_REGISTRYINDEX, p->on_retry);
    wa_http_profile_free(&p->http);
    free(p);
}

static void lwa_call_link(lwa_call *call)
{
    lwa_profile *p = call->profile;
    call->prev = NULL;
    call->next = p->calls;
    if (p->calls != NULL)
        p->calls->prev = call;
    p->calls = call;
}

static void lwa_call_unlink(lwa_call *call)
{
    lwa_profile *p = call->profile;
    if (p->calls == call)
        p->calls = call->next;
    else if (call->prev != NULL)
        call->prev->next = call->next;
    if (call->next != NULL)
        call->next->prev = call->prev;
    call->prev = call->next = NULL;
}

/* Frees a call that is out of the pump; its callback is not called. */
static void lwa_call_free(lua_State *L, lwa_call *call)
{
    luaL_unref(L, LUA_REGISTRYINDEX, call->hold);
    lwa_profile_release(L, call->profile);
    free(call);
}

/* Returns 1 when that was the last reference and the pump is freed. No call is left in
 * it then: each Async object cancels its own when closed. */
static int lwa_pump_release(lwa_pump *pump)
{
    if (--pump->refs > 0)
        return 0;
    wa_multi_free(pump->multi);
    free(pump);
    return 1;
}

/* ---- creation ---------------------------------------------------------------------- */

typedef struct lwa_async_options {
    lua_Number max_in_flight, max_host_connections;
    lwa_async *share;            /* the Async object whose pump to share, or NULL */
} lwa_async_options;

static void lwa_async_read_options(lua_State *L, lwa_async_options *o)
{
    static const char *const names[] = {"max_in_flight", "max_host_connections", "pump", NULL};
    lwa_context cx = {"async", NULL, NULL, NULL, 0, 0};
    lwa_args a;
    int given;

    o->max_in_flight = LWA_ASYNC_DEFAULT_IN_FLIGHT;
    o->max_host_connections = 0;
    o->share = NULL;
    if (lua_isnoneornil(L, 2))
        return;
    a = lwa_args_table(L, 2, "options", "option", &cx);
    lwa_args_known(&a, names);
    given = lwa_args_number(&a, "max_in_flight", 1, LWA_ASYNC_MAX_IN_FLIGHT, &o->max_in_flight);
    if (given && o->max_in_flight != (lua_Number)(int)o->max_in_flight)
        lwa_args_fail(&a, "max_in_flight", "must be a whole number");
    if (lwa_args_number(&a, "max_host_connections", 1, LWA_ASYNC_MAX_IN_FLIGHT,
                        &o->max_host_connections) &&
        o->max_host_connections != (lua_Number)(int)o->max_host_connections)
        lwa_args_fail(&a, "max_host_connections", "must be a whole number");
    if (lwa_args_push(&a, "pump", LUA_TUSERDATA)) {
        o->share = lwa_testudata(L, -1, LWA_ASYNC_MT);
        lua_pop(L, 1);
        if (o->share == NULL)
            lwa_args_fail(&a, "pump", "an Async object (client:async{}) expected");
        else if (o->share->pump == NULL)
            lwa_args_fail(&a, "pump", "that pump is closed");
        if (given || o->max_host_connections > 0)
            lwa_args_fail(&a, "pump", "a shared pump keeps its own limits");
    }
}

static int lwa_async_fail_new(lua_State *L, const char *why)
{
    lwa_context cx = {"async", NULL, NULL, NULL, 0, 0};
    return lwa_raise_network(L, &cx, why);
}

static lwa_profile *lwa_async_profile(lua_State *L, const lwa_client *c)
{
    lwa_profile *p = calloc(1, sizeof *p);

    if (p == NULL)
        return NULL;
    p->refs = 1;
    p->on_retry = LUA_NOREF;
    if (wa_http_profile_init(&p->http, &wa_http_settings(c->http)->cfg) != 0) {
        wa_http_profile_free(&p->http);
        free(p);
        return NULL;
    }
    p->max_response = c->max_response;
    p->policy = c->retry;
    if (c->on_retry != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, c->on_retry);
        p->on_retry = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    return p;
}

/* async(client, options) -> a new Async object; raises a validation error for bad options. */
static int lwa_async_new(lua_State *L)
{
    lwa_client *c = lwa_client_check_open(L, 1, "async");
    lwa_async_options o;
    lwa_async *a;
    const char *why = "out of memory";

    lwa_async_read_options(L, &o);
    a = lua_newuserdata(L, sizeof *a);
    a->pump = NULL;
    a->profile = NULL;
    a->client = LUA_NOREF;
    a->safe = c->safe;
    luaL_getmetatable(L, LWA_ASYNC_MT);
    lua_setmetatable(L, -2); /* from here __gc frees whatever was built */
    a->profile = lwa_async_profile(L, c);
    if (a->profile == NULL)
        return lwa_async_fail_new(L, "the client's settings could not be copied");
    if (o.share != NULL) {
        a->pump = o.share->pump;
        a->pump->refs++;
    } else {
        lwa_pump *pump = calloc(1, sizeof *pump);
        if (pump == NULL)
            return lwa_async_fail_new(L, why);
        pump->multi = wa_multi_new((int)o.max_in_flight, (int)o.max_host_connections, &why);
        if (pump->multi == NULL) {
            free(pump);
            return lwa_async_fail_new(L, why);
        }
        pump->refs = 1;
        pump->random = (unsigned long)time(NULL) ^ (unsigned long)(size_t)pump;
        a->pump = pump;
    }
    lua_pushvalue(L, 1);
    a->client = luaL_ref(L, LUA_REGISTRYINDEX);
    return 1;
}

/* ---- submitting ---------------------------------------------------------------------- */

static lwa_client *lwa_async_client(lua_State *L, const lwa_async *a, const char *operation)
{
    lwa_client *c;

    lua_rawgeti(L, LUA_REGISTRYINDEX, a->client);
    c = lwa_client_check_open(L, lua_gettop(L), operation);
    lua_pop(L, 1); /* still held by the registry */
    return c;
}

/* submit(operation, callback, args..., call options): checks the arguments as the
 * blocking method does (raising before any I/O) and queues the call. */
static int lwa_async_submit_raw(lua_State *L)
{
    const wa_op *op = lwa_request_op(L, 2);
    lwa_async *a = lwa_async_check_open(L, 1, op->name);
    int arity = op->on == WA_ON_PHONE ? 1 : 2, hold, ref;
    lwa_client *c = lwa_async_client(L, a, op->name);
    wa_retry_policy policy = a->profile->policy;
    lwa_request rq;
    lwa_call *call;

    if (!lua_isfunction(L, 3)) {
        lwa_context cx = {op->name, NULL, NULL, NULL, 0, 0};
        lwa_raise_validation(L, &cx, "argument", "callback",
                             lua_pushfstring(L, "function expected, got %s", luaL_typename(L, 3)));
    }
    lua_settop(L, 3 + arity + 1);
    lwa_retry_call_options(L, op, 3 + arity + 1, &policy);
    lua_settop(L, 3 + arity);
    /* hold = {prepared request, callback}, at index 1: prepare wants the method's
     * arguments from index 2 and drops what is above them. Until prepare is done, hold
     * also keeps this object alive in place of the stack. */
    lua_createtable(L, 3, 0);
    lua_pushvalue(L, 3);
    lua_rawseti(L, -2, 2);
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, 3);
    lua_replace(L, 1);
    lua_remove(L, 3);
    lua_remove(L, 2);
    hold = 1;
    lwa_request_prepare(L, c, op, &rq);
    lua_rawseti(L, hold, 1);
    lua_rawgeti(L, hold, 3); /* back on the stack, out of hold */
    lua_pushnil(L);
    lua_rawseti(L, hold, 3);
    if (a->pump == NULL) /* closed by a metamethod of the arguments */
        lwa_async_check_open(L, lua_gettop(L), op->name);

    lua_pushvalue(L, hold);
    ref = luaL_ref(L, LUA_REGISTRYINDEX);
    call = calloc(1, sizeof *call);
    if (call == NULL) {
        luaL_unref(L, LUA_REGISTRYINDEX, ref);
        return luaL_error(L, "out of memory");
    }
    call->hold = ref;
    call->op = op;
    call->policy = policy;
    call->started = wa_now();
    call->outcome = WA_OUTCOME_NOT_SENT;
    call->rq = rq;
    if (call->rq.http.nparts > 0)
        call->rq.http.parts = call->rq.parts; /* its own copy of the parts */
    call->profile = a->profile;
    call->rq.cx.secret = a->profile->http.cfg.token; /* the client's may be wiped first */
    call->rq.cx.secret_len = a->profile->http.cfg.token_len;
    call->xfer = wa_multi_submit(a->pump->multi, &a->profile->http, &call->rq.http, 0, call);
    if (call->xfer == NULL) {
        luaL_unref(L, LUA_REGISTRYINDEX, ref);
        free(call);
        return luaL_error(L, "out of memory");
    }
    a->profile->refs++;
    lwa_call_link(call);
    lua_pushboolean(L, 1);
    return 1;
}

/* The Async object of a safe client returns nil, err for our errors; others raise. */
static int lwa_async_submit(lua_State *L)
{
    int safe = lwa_async_check(L, 1)->safe, n = lua_gettop(L);

    lua_pushcfunction(L, lwa_async_submit_raw);
    lua_insert(L, 1);
    if (!safe) {
        lua_call(L, n, 1);
        return 1;
    }
    return lwa_pcall_safe(L, n);
}

/* ---- polling ------------------------------------------------------------------------- */

/* What settling one finished transfer decided. */
typedef struct lwa_settling {
    lwa_call *call;
    const wa_http_response *rs;
    lwa_pump *pump;
    double retry_in;             /* >= 0: send again after this many seconds */
    wa_outcome outcome;          /* what the attempt came to */
} lwa_settling;

/* Protected: settles one answer and pushes what is to run once every answer is settled,
 * as three values (function, argument, argument), or three nils. Allocates, so it may
 * raise; takes no decision a raise could leave half-made. */
static int lwa_async_settle(lua_State *L)
{
    lwa_settling *s = lua_touserdata(L, 1);
    lwa_call *call = s->call;
    lwa_profile *p = call->profile;
    double server_wait;
    wa_verdict v;
    int result;

    lua_settop(L, 0);
    call->rq.cx.attempts++;
    v = lwa_response_settle(L, call->op, &call->rq.cx, s->rs, p->max_response, &server_wait);
    result = lua_gettop(L);
    s->outcome = v.outcome;
    s->retry_in = -1;
    if (v.kind != WA_KIND_OK && !p->closed)
        s->retry_in = wa_retry_delay(&call->policy, call->rq.cx.attempts,
                                     wa_now() - call->started, &v, server_wait,
                                     lwa_retry_random(&s->pump->random));
    if (s->retry_in >= 0) {
        /* on_retry{operation, attempt, delay, error}, as the blocking transport calls it */
        if (lwa_retry_push_hook(L, p->on_retry, call->op->name, call->rq.cx.attempts,
                                s->retry_in, result)) {
            lua_pushnil(L);
            return 3;
        }
        lua_settop(L, 0); /* nothing to tell */
        lua_pushnil(L);
        lua_pushnil(L);
        lua_pushnil(L);
        return 3;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, call->hold);
    lua_rawgeti(L, -1, 2); /* the callback */
    if (v.kind == WA_KIND_OK) {
        lua_pushvalue(L, result);
        lua_pushnil(L);
    } else {
        lua_pushnil(L);
        lua_pushvalue(L, result);
    }
    return 3;
}

/* Appends the value at the top to the list at idx (whose length is *n), popping it. */
static void lwa_append(lua_State *L, int idx, int *n)
{
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushliteral(L, "(error object is a nil value)");
    }
    lua_rawseti(L, idx, ++*n);
}

/* Settles every finished transfer into the list at `ready` (three values each); returns
 * how many entries. Retries go back into the queue; failures land in `errors`. */
static int lwa_async_collect(lua_State *L, lwa_pump *pump, int ready, int errors, int *nerrors)
{
    wa_http_response rs;
    wa_multi_xfer *x;
    int nready = 0;

    while ((x = wa_multi_take(pump->multi, &rs)) != NULL) {
        lwa_settling s;
        int i;

        s.call = wa_multi_xfer_data(x);
        s.rs = &rs;
        s.pump = pump;
        s.retry_in = -1;
        lwa_call_unlink(s.call); /* out of reach of a close meanwhile */
        lua_pushcfunction(L, lwa_async_settle);
        lua_pushlightuserdata(L, &s);
        if (lua_pcall(L, 1, 3, 0) != 0) { /* out of memory, most likely */
            wa_multi_finish(pump->multi, x);
            lwa_call_free(L, s.call);
            lwa_append(L, errors, nerrors);
            continue;
        }
        if (s.retry_in >= 0 && s.call->profile->closed) {
            /* its Async object was collected while this was settled: dropped, as then */
            wa_multi_finish(pump->multi, x);
            lwa_call_free(L, s.call);
            lua_pop(L, 3);
            continue;
        }
        if (s.retry_in >= 0) {
            wa_multi_retry(pump->multi, x, s.retry_in);
            s.call->outcome = s.outcome;
            lwa_call_link(s.call);
        } else {
            wa_multi_finish(pump->multi, x);
            lwa_call_free(L, s.call); /* the callback is on the stack now */
        }
        if (lua_isnil(L, -3)) {
            lua_pop(L, 3);
            continue;
        }
        for (i = 3; i >= 1; i--)
            lua_rawseti(L, ready, nready * 3 + i);
        nready++;
    }
    return nready;
}

/* One round: drive libcurl (waiting up to timeout_ms), settle what finished, start what
 * may start, then run the callbacks. Their errors are appended to the list at `errors`.
 * Returns 1 when the callbacks closed every Async object of the pump, which is then gone. */
static int lwa_async_step(lua_State *L, lwa_pump *pump, long timeout_ms, int errors,
                           int *nerrors)
{
    int ready, nready, i;

    pump->refs++; /* a callback may close every Async object using it */
    wa_multi_poll(pump->multi, timeout_ms);
    lua_newtable(L);
    ready = lua_gettop(L);
    nready = lwa_async_collect(L, pump, ready, errors, nerrors);
    wa_multi_kick(pump->multi);
    for (i = 0; i < nready; i++) {
        lua_rawgeti(L, ready, i * 3 + 1);
        lua_rawgeti(L, ready, i * 3 + 2);
        lua_rawgeti(L, ready, i * 3 + 3);
        if (lua_pcall(L, 2, 0, 0) != 0)
            lwa_append(L, errors, nerrors);
    }
    lua_pop(L, 1);
    return lwa_pump_release(pump);
}

static long lwa_async_timeout(lua_State *L, int idx)
{
    lua_Number ms = luaL_optnumber(L, idx, 0);
    luaL_argcheck(L, ms >= 0, idx, "milliseconds expected (0 or more)");
    return ms > 86400000 ? 86400000L : (long)ms;
}

static int lwa_async_in_flight_of(const lwa_async *a)
{
    return a->pump == NULL ? 0 : (int)wa_multi_in_flight(a->pump->multi);
}

/* Returns the count at the top plus the error list at errors, or nil when it is empty. */
static int lwa_async_results(lua_State *L, int errors, int nerrors)
{
    if (nerrors == 0)
        lua_pushnil(L);
    else
        lua_pushvalue(L, errors);
    return 2;
}

/* poll([timeout_ms]) -> in_flight, errors|nil */
static int lwa_async_poll(lua_State *L)
{
    lwa_async *a = lwa_async_check_open(L, 1, "poll");
    long timeout_ms = lwa_async_timeout(L, 2);
    int nerrors = 0;

    lua_settop(L, 1);
    lua_newtable(L);
    if (lwa_async_step(L, a->pump, timeout_ms, 2, &nerrors))
        lua_pushinteger(L, 0);
    else
        lua_pushinteger(L, lwa_async_in_flight_of(a));
    return lwa_async_results(L, 2, nerrors);
}

/* wait() -> errors|nil: polls until nothing is in flight. */
static int lwa_async_wait(lua_State *L)
{
    lwa_async *a = lwa_async_check_open(L, 1, "wait");
    int nerrors = 0;

    lua_settop(L, 1);
    lua_newtable(L);
    while (lwa_async_in_flight_of(a) > 0)
        if (lwa_async_step(L, a->pump, LWA_ASYNC_WAIT_SLICE_MS, 2, &nerrors))
            break;
    if (nerrors == 0)
        lua_pushnil(L);
    return 1;
}

static int lwa_async_in_flight(lua_State *L)
{
    lua_pushinteger(L, lwa_async_in_flight_of(lwa_async_check(L, 1)));
    return 1;
}

static int lwa_async_get_client(lua_State *L)
{
    lwa_async *a = lwa_async_check(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, a->client); /* nil once closed (LUA_NOREF) */
    return 1;
}

/* ---- closing ------------------------------------------------------------------------- */

/* Pushes the error a call gets when its pump is closed before it finished. */
static void lwa_async_closed_error(lua_State *L, const lwa_call *call, wa_xfer_state state)
{
    static const char msg[] = "the pump was closed before the call finished";
    int queued = state == WA_XFER_QUEUED;
    wa_outcome outcome = queued ? call->outcome : WA_OUTCOME_UNKNOWN;

    lwa_error_new(L, &call->rq.cx, WA_KIND_NETWORK);
    lwa_error_set_string(L, &call->rq.cx, "message", msg, sizeof msg - 1);
    lua_pushstring(L, wa_outcome_name(outcome));
    lua_setfield(L, -2, "outcome");
    lwa_error_set_boolean(L, "retryable", queued || (call->op->flags & WA_OP_IDEMPOTENT) != 0);
}

/* One close for :close(), <close> and __gc; safe to call again. Pending calls are
 * cancelled; with notify their callbacks get the "closed" error (errors they raise go
 * to the list at `errors`), without it they are dropped (__gc: no Lua code then). */
static void lwa_async_close_now(lua_State *L, lwa_async *a, int notify, int errors, int *nerrors)
{
    lwa_pump *pump = a->pump;
    lwa_call *mine, *call, *next;

    if (pump == NULL) {
        lwa_profile_release(L, a->profile);
        a->profile = NULL;
        return;
    }
    a->pump = NULL;
    a->profile->closed = 1;
    /* First take this object's calls out of the pump, allocating nothing in Lua, so no
     * finalizer can run meanwhile. */
    mine = a->profile->calls;
    a->profile->calls = NULL;
    for (call = mine; call != NULL; call = call->next) {
        call->state = wa_multi_xfer_state(call->xfer);
        wa_multi_cancel(pump->multi, call->xfer);
        call->xfer = NULL;
    }
    luaL_unref(L, LUA_REGISTRYINDEX, a->client);
    a->client = LUA_NOREF;
    lwa_profile_release(L, a->profile);
    a->profile = NULL;
    for (call = mine; call != NULL; call = next) {
        next = call->next;
        if (!notify) {
            lwa_call_free(L, call);
            continue;
        }
        lua_rawgeti(L, LUA_REGISTRYINDEX, call->hold);
        lua_rawgeti(L, -1, 2);
        lua_remove(L, -2);
        lua_pushnil(L);
        lwa_async_closed_error(L, call, call->state);
        lwa_call_free(L, call);
        if (lua_pcall(L, 2, 0, 0) != 0)
            lwa_append(L, errors, nerrors);
    }
    lwa_pump_release(pump); /* last: a callback may still submit to a sharer */
}

/* close() -> errors|nil: pending callbacks get a network error saying the pump closed. */
static int lwa_async_close(lua_State *L)
{
    lwa_async *a = lwa_async_check(L, 1);
    int nerrors = 0;

    lua_settop(L, 1);
    lua_newtable(L);
    lwa_async_close_now(L, a, 1, 2, &nerrors);
    if (nerrors == 0)
        lua_pushnil(L);
    return 1;
}

static int lwa_async_gc(lua_State *L)
{
    lwa_async *a = lwa_async_check(L, 1);
    int none = 0;
    lwa_async_close_now(L, a, 0, 0, &none);
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

/* client:async(options): the Lua half (whatsapp.groups.async) makes the object, with the
 * methods that reshape results as the blocking ones do. */
static int lwa_async_method(lua_State *L)
{
    lua_settop(L, 2);
    lua_getglobal(L, "require");
    lua_pushliteral(L, "whatsapp.groups.async");
    lua_call(L, 1, 1);
    lua_getfield(L, -1, "new");
    lua_insert(L, 1);
    lua_settop(L, 3);
    lua_call(L, 2, LUA_MULTRET);
    return lua_gettop(L);
}

void lwa_async_register(lua_State *L)
{
    lua_pushcfunction(L, lwa_async_method);
    lua_setfield(L, -2, "async");
}

void lwa_async_open(lua_State *L)
{
    static const luaL_Reg meta[] = {
        {"__gc", lwa_async_gc},
        {"__close", lwa_async_close},
        {"__tostring", lwa_async_tostring},
        {NULL, NULL},
    };
    static const luaL_Reg methods[] = {
        {"submit", lwa_async_submit},
        {"poll", lwa_async_poll},
        {"wait", lwa_async_wait},
        {"close", lwa_async_close},
        {"in_flight", lwa_async_in_flight},
        {"client", lwa_async_get_client},
        {NULL, NULL},
    };
    luaL_newmetatable(L, LWA_ASYNC_MT);
    lwa_setfuncs(L, meta, 0);
    lua_newtable(L);
    lwa_setfuncs(L, methods, 0);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__index");
    lua_setfield(L, -3, "async_methods"); /* module table, below the metatable */
    lua_pushliteral(L, LWA_ASYNC_MT);
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);
    lua_pushcfunction(L, lwa_async_new);
    lua_setfield(L, -2, "async");
}
