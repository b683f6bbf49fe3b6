#include "lwa_call.h"

#include "lwa_args.h"
#include "lwa_request.h"
#include "lwa_response.h"
#include "lwa_retry.h"
#include "wa_clock.h"

/* Uniform in [0, 1), for jitter: xorshift, per client. */
static double lwa_call_random(lwa_client *c)
{
    unsigned long x = c->random ? c->random : 88172645463325252UL;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c->random = x;
    return (double)(x >> 11 & 0xFFFFFFFFUL) / 4294967296.0;
}

/* The call options after the method's arguments: {retries, backoff} for this call. */
static void lwa_call_options(lua_State *L, const wa_op *op, wa_retry_policy *p)
{
    static const char *const names[] = {"retries", "backoff", NULL};
    int at = op->on == WA_ON_PHONE ? 3 : 4;
    lwa_context cx = {op->name, NULL, NULL, NULL, 0, 0};
    lwa_args a;

    if (lua_isnoneornil(L, at))
        return;
    a = lwa_args_table(L, at, "call options", "option", &cx);
    lwa_args_known(&a, names);
    lwa_retry_read(&a, p);
}

/* Tells the on_retry hook about a retry: {operation, attempt, delay, error}. The error
 * object at the top carries no secret; the hook's own errors propagate. */
static void lwa_call_notify(lua_State *L, const lwa_client *c, const wa_op *op, int attempt,
                            double delay)
{
    if (c->on_retry == LUA_NOREF)
        return;
    lua_rawgeti(L, LUA_REGISTRYINDEX, c->on_retry);
    lua_createtable(L, 0, 4);
    lua_pushstring(L, op->name);
    lua_setfield(L, -2, "operation");
    lua_pushinteger(L, attempt);
    lua_setfield(L, -2, "attempt");
    lua_pushnumber(L, delay);
    lua_setfield(L, -2, "delay");
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "error");
    lua_call(L, 1, 0);
}

int lwa_call(lua_State *L, lwa_client *c, const wa_op *op)
{
    wa_retry_policy policy = c->retry;
    lwa_request rq;
    wa_http_response rs;

    lwa_call_options(L, op, &policy);
    lwa_request_prepare(L, c, op, &rq);
    for (;;) {
        double server_wait, delay;
        wa_verdict v;

        rq.cx.attempts++;
        wa_http_perform(c->http, &rq.http, &rs);
        v = lwa_response_settle(L, op, &rq.cx, &rs, c->max_response, &server_wait);
        if (v.kind == WA_KIND_OK)
            return 1;
        delay = wa_retry_delay(&policy, rq.cx.attempts, &v, server_wait, lwa_call_random(c));
        if (delay < 0)
            return lua_error(L);
        lwa_call_notify(L, c, op, rq.cx.attempts, delay);
        lua_pop(L, 1);
        wa_sleep(delay);
    }
}
