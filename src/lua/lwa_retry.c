#include "lwa_retry.h"

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
