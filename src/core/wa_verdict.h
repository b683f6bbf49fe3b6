/* What an exchange with Graph came to: the error kind, whether the operation took
 * effect, and whether sending it again is safe. One pure function, no I/O. */
#ifndef WA_VERDICT_H
#define WA_VERDICT_H

#include "wa_ops.h"

/* Graph's code for "Request partially succeeded". */
#define WA_PARTIAL_SUCCESS 131201

#define WA_KINDS(X) \
    X(OK, "ok") X(VALIDATION, "validation") X(API, "api") X(NETWORK, "network") \
    X(TIMEOUT, "timeout") X(PROTOCOL, "protocol") X(STORE, "store")

/* done: it took effect; not_sent: it never left us; rejected: the server refused it;
 * unknown: it may or may not have taken effect. */
#define WA_OUTCOMES(X) \
    X(DONE, "done") X(NOT_SENT, "not_sent") X(REJECTED, "rejected") X(UNKNOWN, "unknown")

typedef enum wa_kind {
#define WA_KIND_ENUM(id, name) WA_KIND_##id,
    WA_KINDS(WA_KIND_ENUM)
#undef WA_KIND_ENUM
    WA_KIND_COUNT
} wa_kind;

typedef enum wa_outcome {
#define WA_OUTCOME_ENUM(id, name) WA_OUTCOME_##id,
    WA_OUTCOMES(WA_OUTCOME_ENUM)
#undef WA_OUTCOME_ENUM
    WA_OUTCOME_COUNT
} wa_outcome;

/* How the transfer itself ended, whatever the HTTP status. */
typedef enum wa_transfer {
    WA_TRANSFER_OK,        /* a whole answer arrived */
    WA_TRANSFER_FAILED,    /* a network failure */
    WA_TRANSFER_TIMEOUT,   /* a time limit ran out */
    WA_TRANSFER_REFUSED,   /* refused before sending, and would be again (TLS trust, URL) */
    WA_TRANSFER_TOO_LARGE  /* the answer passed the size cap */
} wa_transfer;

typedef struct wa_facts {
    wa_transfer transfer;
    int request_sent;       /* some of the request left us */
    long http_status;       /* 0 without an answer */
    int body_is_object;     /* the body parsed as a JSON object */
    int has_graph_error;    /* the body is Graph's {"error": {...}} envelope */
    long graph_code;
    int is_transient;       /* Graph's own hint */
} wa_facts;

typedef struct wa_verdict {
    wa_kind kind;
    wa_outcome outcome;
    int retryable;
} wa_verdict;

wa_verdict wa_classify(const wa_op *op, const wa_facts *f);

const char *wa_kind_name(wa_kind k);
const char *wa_outcome_name(wa_outcome o);

#endif
