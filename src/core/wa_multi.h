/* The pump transport: libcurl's multi interface. Transfers are submitted, queued while
 * max_in_flight are running or while a retry waits, started as slots free up, and
 * collected when done. Connections are shared by every transfer of the multi handle
 * (HTTP/2 multiplexing over TLS where the server offers it, a connection cache
 * otherwise); easy handles are reused from a free list. Runs no Lua code, so no Lua error
 * can cross a libcurl frame. */
#ifndef WA_MULTI_H
#define WA_MULTI_H

#include <stddef.h>

#include "wa_http.h"

typedef struct wa_multi wa_multi;
typedef struct wa_multi_xfer wa_multi_xfer;

typedef enum wa_xfer_state {
    WA_XFER_QUEUED,   /* waiting for a slot, or for its retry time */
    WA_XFER_RUNNING,  /* in libcurl's hands: it may have reached the server */
    WA_XFER_DONE,     /* finished, waiting to be collected */
    WA_XFER_TAKEN     /* collected with wa_multi_take; finish, retry or cancel it */
} wa_xfer_state;

/* HTTP/2 streams one connection carries at most, unless wa_multi_set_max_streams says
 * otherwise (libcurl's own default). */
#define WA_MULTI_DEFAULT_STREAMS 100

/* max_in_flight: transfers running at once; max_host_connections: connections to one
 * host (0: chosen by the pump: ceil(max_in_flight / max_streams) while every transfer is
 * multiplexed over HTTP/2, as many as max_in_flight once one is not, e.g. plain HTTP).
 * NULL when libcurl could not be set up (*why says). */
wa_multi *wa_multi_new(int max_in_flight, int max_host_connections, const char **why);
/* Streams per HTTP/2 connection (1 or more; others are ignored): the pump then opens
 * about ceil(max_in_flight / max_streams) connections to a host. */
void wa_multi_set_max_streams(wa_multi *m, int max_streams);
/* Cancels whatever is left and frees everything. */
void wa_multi_free(wa_multi *m);

/* Queues a transfer of rq with a client's settings p (several clients can share one
 * multi handle), to start no sooner than delay seconds from now. p, and rq's strings and
 * parts, must stay valid until the transfer is finished or cancelled. NULL: out of
 * memory. */
wa_multi_xfer *wa_multi_submit(wa_multi *m, const wa_http_profile *p, const wa_http_request *rq,
                               double delay, void *ud);

/* Starts what may start, drives libcurl, and waits up to timeout_ms (0: not at all) for
 * something to happen, a waiting retry's time included. Returns how many transfers are
 * done and not yet taken. */
size_t wa_multi_poll(wa_multi *m, long timeout_ms);
/* Starts what may start into freed slots and lets libcurl send it, without waiting. */
void wa_multi_kick(wa_multi *m);

/* The next done transfer, now TAKEN, with its answer in *rs (the body stays valid until
 * the transfer is finished, retried or cancelled); NULL when none is done. */
wa_multi_xfer *wa_multi_take(wa_multi *m, wa_http_response *rs);
/* Frees a taken transfer. */
void wa_multi_finish(wa_multi *m, wa_multi_xfer *x);
/* Queues a taken transfer again, to start after delay seconds. */
void wa_multi_retry(wa_multi *m, wa_multi_xfer *x, double delay);
/* Stops and frees a transfer in any state. */
void wa_multi_cancel(wa_multi *m, wa_multi_xfer *x);

void *wa_multi_xfer_data(const wa_multi_xfer *x);
wa_xfer_state wa_multi_xfer_state(const wa_multi_xfer *x);

/* Transfers submitted and not yet taken: queued, running and done. */
size_t wa_multi_in_flight(const wa_multi *m);

#endif
