/* When to send a call again: one pure function of the attempt and what it came to. */
#ifndef WA_RETRY_H
#define WA_RETRY_H

#include "wa_verdict.h"

typedef struct wa_retry_policy {
    int retries;     /* attempts after the first */
    double base;     /* seconds before the first retry; doubles each time */
    double cap;      /* the longest wait between two attempts */
    double jitter;   /* 0 to 1: the share of each wait drawn at random */
    double max_wait; /* the longest wait a server may ask for (Retry-After) and get */
    double max_elapsed; /* no wait that would end later than this many seconds after the
                         * call began; 0: no such limit */
} wa_retry_policy;

#define WA_RETRY_DEFAULT_RETRIES 3
#define WA_RETRY_DEFAULT_BASE 0.5
#define WA_RETRY_DEFAULT_CAP 30.0
#define WA_RETRY_DEFAULT_JITTER 0.5
#define WA_RETRY_DEFAULT_MAX_WAIT 60.0
#define WA_RETRY_DEFAULT_MAX_ELAPSED 0.0

void wa_retry_default(wa_retry_policy *p);

/* Seconds to wait before the next attempt, or a negative number when the call must not
 * be sent again: the verdict is not retryable, the attempts are used up, the server asks
 * for a longer wait than max_wait, or the wait would end past max_elapsed (the caller is
 * better told than kept waiting). attempt counts from 1; elapsed is the seconds since the
 * call began; server_wait is what Retry-After or the usage headers asked for (negative:
 * nothing); random is uniform in [0, 1). Exponential backoff with jitter, never shorter
 * than the server's wait. */
double wa_retry_delay(const wa_retry_policy *p, int attempt, double elapsed,
                      const wa_verdict *v, double server_wait, double random);

#endif
