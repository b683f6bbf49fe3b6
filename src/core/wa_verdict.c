#include "wa_verdict.h"

#include <stddef.h>

/* Graph codes for throttling and passing faults (reference §8.4, §8.3). */
static const long wa_transient_codes[] = {1, 2, 4, 17, 32, 613, 80007, 130429,
                                          131000, 131016, 131048, 131056, 131208};

static int wa_is_transient_code(long code)
{
    size_t i;
    for (i = 0; i < sizeof wa_transient_codes / sizeof wa_transient_codes[0]; i++)
        if (wa_transient_codes[i] == code)
            return 1;
    return 0;
}

static wa_verdict wa_verdict_make(wa_kind kind, wa_outcome outcome, int retryable)
{
    wa_verdict v;
    v.kind = kind;
    v.outcome = outcome;
    v.retryable = retryable;
    return v;
}

/* A failed transfer: safe to resend only if nothing left us or resending is harmless. */
static wa_verdict wa_classify_transfer(const wa_op *op, const wa_facts *f, wa_kind kind)
{
    if (!f->request_sent)
        return wa_verdict_make(kind, WA_OUTCOME_NOT_SENT, 1);
    return wa_verdict_make(kind, WA_OUTCOME_UNKNOWN, (op->flags & WA_OP_IDEMPOTENT) != 0);
}

static wa_verdict wa_classify_answer(const wa_op *op, const wa_facts *f)
{
    int success = f->http_status >= 200 && f->http_status < 300;
    int rejected, passing;

    /* 131201 "Request partially succeeded" (HTTP 206) is a result the caller reads. */
    if (success && f->body_is_object && (!f->has_graph_error || f->graph_code == WA_PARTIAL_SUCCESS))
        return wa_verdict_make(WA_KIND_OK, WA_OUTCOME_DONE, 0);
    if (success)
        return wa_verdict_make(WA_KIND_PROTOCOL, WA_OUTCOME_UNKNOWN, 0);
    /* Graph's envelope or a 4xx proves the server refused the request; a bare 5xx does not. */
    rejected = f->has_graph_error || f->http_status < 500;
    passing = f->http_status == 429 || f->http_status >= 500 || f->is_transient ||
              (f->has_graph_error && wa_is_transient_code(f->graph_code));
    return wa_verdict_make(WA_KIND_API, rejected ? WA_OUTCOME_REJECTED : WA_OUTCOME_UNKNOWN,
                           passing && (rejected || (op->flags & WA_OP_IDEMPOTENT)));
}

wa_verdict wa_classify(const wa_op *op, const wa_facts *f)
{
    switch (f->transfer) {
    case WA_TRANSFER_OK:
        return wa_classify_answer(op, f);
    case WA_TRANSFER_TIMEOUT:
        return wa_classify_transfer(op, f, WA_KIND_TIMEOUT);
    case WA_TRANSFER_FAILED:
        return wa_classify_transfer(op, f, WA_KIND_NETWORK);
    case WA_TRANSFER_REFUSED:
        return wa_verdict_make(WA_KIND_NETWORK, WA_OUTCOME_NOT_SENT, 0);
    case WA_TRANSFER_TOO_LARGE:
        return wa_verdict_make(WA_KIND_PROTOCOL, WA_OUTCOME_UNKNOWN, 0);
    }
    return wa_verdict_make(WA_KIND_PROTOCOL, WA_OUTCOME_UNKNOWN, 0);
}

const char *wa_kind_name(wa_kind k)
{
    static const char *const names[] = {
#define WA_KIND_NAME(id, name) name,
        WA_KINDS(WA_KIND_NAME)
#undef WA_KIND_NAME
    };
    return (k >= 0 && k < WA_KIND_COUNT) ? names[k] : "unknown";
}

const char *wa_outcome_name(wa_outcome o)
{
    static const char *const names[] = {
#define WA_OUTCOME_NAME(id, name) name,
        WA_OUTCOMES(WA_OUTCOME_NAME)
#undef WA_OUTCOME_NAME
    };
    return (o >= 0 && o < WA_OUTCOME_COUNT) ? names[o] : "unknown";
}
