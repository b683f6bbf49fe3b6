#include "lwa_retry.h"

#include "lwa_table.h"

#define LWA_MAX_RETRIES 10

static void lwa_retry_backoff(const lwa_args *a, wa_retry_policy *p)
{
    static const char *const names[] = {"base", "cap", "jitter", "max_wait", "max_elapsed",
                                        NULL};
    lwa_args backoff;

    if (!lwa_args_push(a, "backoff", LUA_TTABLE))
        return;
    backoff = *a;
    backoff.index = lua_gettop(a->L);
    backoff.prefix = "backoff.";
    lwa_args_known(&backoff, names);
    lwa_args_number(&backoff, "base", 0, 60, &p->base);
    lwa_args_number(&backoff, "cap", 0, 600, &p->cap);
    lwa_args_number(&backoff, "jitter", 0, 1, &p->jitter);
    lwa_args_number(&backoff, "max_wait", 0, 3600, &p->max_wait);
    lwa_args_number(&backoff, "max_elapsed", 0, 86400, &p->max_elapsed);
    lua_pop(a->L, 1);
}

void lwa_retry_read(const lwa_args *a, wa_retry_policy *p)
{
    lua_Number retries;

    if (lwa_args_number(a, "retries", 0, LWA_MAX_RETRIES, &retries)) {
        if ((lua_Number)(int)retries != retries)
            lwa_args_fail(a, "retries", "must be a whole number from 0 to 10");
        p->retries = (int)retries;
    }
    lwa_retry_backoff(a, p);
}

void lwa_retry_call_options(lua_State *L, const wa_op *op, int at, wa_retry_policy *p)
{
    static const char *const names[] = {"retries", "backoff", NULL};
    lwa_context cx = {op->name, NULL, NULL, NULL, 0, 0};
    lwa_args a;

    if (lua_isnoneornil(L, at))
        return;
    a = lwa_args_table(L, at, "call options", "option", &cx);
    lwa_args_known(&a, names);
    lwa_retry_read(&a, p);
}

double lwa_retry_random(unsigned long *state)
{
    unsigned long x = *state ? *state : 88172645463325252UL;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return (double)(x >> 11 & 0xFFFFFFFFUL) / 4294967296.0;
}

/* Pushes {operation, attempt, delay, error}, the error object being at stack index err. */
static void lwa_retry_push_info(lua_State *L, const char *operation, int attempt, double delay,
                                int err)
{
    lua_createtable(L, 0, 4);
    lua_pushstring(L, operation);
    lua_setfield(L, -2, "operation");
    lua_pushinteger(L, attempt);
    lua_setfield(L, -2, "attempt");
    lua_pushnumber(L, delay);
    lua_setfield(L, -2, "delay");
    lua_pushvalue(L, err);
    lua_setfield(L, -2, "error");
}

int lwa_retry_push_hook(lua_State *L, int hook, const char *operation, int attempt,
                        double delay, int err)
{
    if (hook == LUA_NOREF)
        return 0;
    lua_rawgeti(L, LUA_REGISTRYINDEX, hook);
    lwa_retry_push_info(L, operation, attempt, delay, err);
    return 1;
}

void lwa_retry_notify(lua_State *L, const lwa_client *c, const char *operation, int attempt,
                      double delay)
{
    if (lwa_retry_push_hook(L, c->on_retry, operation, attempt, delay, lua_gettop(L)))
        lua_call(L, 1, 0);
}

static void lwa_retry_get(lua_State *L, int t, const char *key, double *out)
{
    lua_getfield(L, t, key);
    if (lua_isnumber(L, -1))
        *out = lua_tonumber(L, -1);
    lua_pop(L, 1);
}

void lwa_retry_store(lua_State *L, const wa_retry_policy *p)
{
    lwa_set_number(L, "retries", p->retries);
    lwa_set_number(L, "retry_base", p->base);
    lwa_set_number(L, "retry_cap", p->cap);
    lwa_set_number(L, "retry_jitter", p->jitter);
    lwa_set_number(L, "retry_max_wait", p->max_wait);
    lwa_set_number(L, "retry_max_elapsed", p->max_elapsed);
}

void lwa_retry_load(lua_State *L, int request, const lwa_client *c, wa_retry_policy *p)
{
    double retries = c->retry.retries;

    *p = c->retry;
    lwa_retry_get(L, request, "retries", &retries);
    p->retries = retries >= 0 && retries <= LWA_MAX_RETRIES ? (int)retries : 0;
    lwa_retry_get(L, request, "retry_base", &p->base);
    lwa_retry_get(L, request, "retry_cap", &p->cap);
    lwa_retry_get(L, request, "retry_jitter", &p->jitter);
    lwa_retry_get(L, request, "retry_max_wait", &p->max_wait);
    lwa_retry_get(L, request, "retry_max_elapsed", &p->max_elapsed);
}
