#include "lwa_call.h"

#include "lwa_request.h"
#include "lwa_response.h"
#include "lwa_retry.h"
#include "wa_clock.h"

int lwa_call(lua_State *L, lwa_client *c, const wa_op *op)
{
    wa_retry_policy policy = c->retry;
    lwa_request rq;
    wa_http_response rs;
    double started = wa_now();

    lwa_retry_call_options(L, op, op->on == WA_ON_PHONE ? 3 : 4, &policy);
    lwa_request_prepare(L, c, op, &rq);
    for (;;) {
        double server_wait, delay;
        wa_verdict v;

        rq.cx.attempts++;
        wa_http_perform(c->http, &rq.http, &rs);
        v = lwa_response_settle(L, op, &rq.cx, &rs, c->max_response, &server_wait);
        if (v.kind == WA_KIND_OK)
            return 1;
        delay = wa_retry_delay(&policy, rq.cx.attempts, wa_now() - started, &v, server_wait,
                               lwa_retry_random(&c->random));
        if (delay < 0)
            return lua_error(L);
        lwa_retry_notify(L, c, op->name, rq.cx.attempts, delay);
        lua_pop(L, 1);
        wa_sleep(delay);
    }
}
