#include "lwa_call.h"

#include "lwa_request.h"
#include "lwa_response.h"

int lwa_call(lua_State *L, lwa_client *c, const wa_op *op)
{
    lwa_request rq;
    wa_http_response rs;
    wa_verdict v;
    double server_wait;

    lwa_request_prepare(L, c, op, &rq);
    rq.cx.attempts++;
    wa_http_perform(c->http, &rq.http, &rs);
    v = lwa_response_settle(L, op, &rq.cx, &rs, c->max_response, &server_wait);
    if (v.kind != WA_KIND_OK)
        return lua_error(L);
    return 1;
}
