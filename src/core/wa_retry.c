#include "wa_retry.h"

void wa_retry_default(wa_retry_policy *p)
{
    p->retries = WA_RETRY_DEFAULT_RETRIES;
    p->base = WA_RETRY_DEFAULT_BASE;
    p->cap = WA_RETRY_DEFAULT_CAP;
    p->jitter = WA_RETRY_DEFAULT_JITTER;
    p->max_wait = WA_RETRY_DEFAULT_MAX_WAIT;
}

double wa_retry_delay(const wa_retry_policy *p, int attempt, const wa_verdict *v,
                      double server_wait, double random)
{
    double wait = p->base;
    int i;

    if (!v->retryable || attempt > p->retries)
        return -1;
    if (server_wait > p->max_wait)
        return -1;
    for (i = 1; i < attempt && wait < p->cap; i++)
        wait *= 2;
    if (wait > p->cap)
        wait = p->cap;
    wait -= wait * p->jitter * random;
    return wait < server_wait ? server_wait : wait;
}
