#include "wa_retry.h"

void wa_retry_default(wa_retry_policy *p)
{
    p->retries = WA_RETRY_DEFAULT_RETRIES;
    p->base = WA_RETRY_DEFAULT_BASE;
    p->cap = WA_RETRY_DEFAULT_CAP;
    p->jitter = WA_RETRY_DEFAULT_JITTER;
    p->max_wait = WA_RETRY_DEFAULT_MAX_WAIT;
    p->max_elapsed = WA_RETRY_DEFAULT_MAX_ELAPSED;
}

double wa_retry_delay(const wa_retry_policy *p, int attempt, double elapsed,
                      const wa_verdict *v, double server_wait, double random)
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
    if (wait < server_wait)
        wait = server_wait;
    if (p->max_elapsed > 0 && elapsed + wait > p->max_elapsed)
        return -1;
    return wait;
}
