/* The verdict on an exchange and the retry policy, with random facts. wa_classify: OK only
 * for a whole 2xx JSON object; never retryable once a non-idempotent call may have taken
 * effect. wa_retry_delay: a wait is never negative nor NaN, above the cap only to honour a
 * server's wait within max_wait, never shorter than the server asked, never ending past
 * max_elapsed, and only for retryable verdicts with attempts left. */
#include <math.h>

#include "fuzz.h"
#include "wa_retry.h"
#include "wa_verdict.h"

/* Status codes mostly near the interesting ones, sometimes anything at all. */
static long pick_status(fuzz_input *in)
{
    static const long common[] = {0, 100, 200, 201, 204, 206, 299, 300, 400, 401, 404,
                                  429, 499, 500, 502, 503, 599, 600, -1};
    unsigned b = fuzz_byte(in);
    if (b < 2 * (sizeof common / sizeof common[0]))
        return common[b / 2];
    return (long)(int32_t)fuzz_bits(in, 4);
}

static void check_verdict(const wa_op *op, const wa_facts *f, const wa_verdict *v)
{
    int idempotent = (op->flags & WA_OP_IDEMPOTENT) != 0;
    int two_xx = f->http_status >= 200 && f->http_status < 300;

    FUZZ_CHECK(v->kind >= 0 && v->kind < WA_KIND_COUNT && v->kind != WA_KIND_VALIDATION,
               "a kind an exchange can have");
    FUZZ_CHECK(v->outcome >= 0 && v->outcome < WA_OUTCOME_COUNT, "a known outcome");
    FUZZ_CHECK(strcmp(wa_kind_name(v->kind), "unknown") != 0, "every kind has a name");
    FUZZ_CHECK(v->retryable == 0 || v->retryable == 1, "retryable is a boolean");
    if (v->kind == WA_KIND_OK) {
        FUZZ_CHECK(f->transfer == WA_TRANSFER_OK && two_xx && f->body_is_object,
                   "OK only for a whole 2xx JSON object");
        FUZZ_CHECK(v->outcome == WA_OUTCOME_DONE && !v->retryable, "OK is done");
    } else {
        FUZZ_CHECK(v->outcome != WA_OUTCOME_DONE, "only OK is done");
    }
    if (f->transfer == WA_TRANSFER_OK && two_xx && f->body_is_object && !f->has_graph_error)
        FUZZ_CHECK(v->kind == WA_KIND_OK, "a plain 2xx object is OK");
    if (v->outcome == WA_OUTCOME_UNKNOWN && !idempotent)
        FUZZ_CHECK(!v->retryable, "a call that may have taken effect is sent once");
    if (v->outcome == WA_OUTCOME_NOT_SENT)
        FUZZ_CHECK(f->transfer != WA_TRANSFER_OK &&
                       (!f->request_sent || f->transfer == WA_TRANSFER_REFUSED),
                   "not sent means not sent");
    if (f->transfer == WA_TRANSFER_REFUSED)
        FUZZ_CHECK(v->outcome == WA_OUTCOME_NOT_SENT && !v->retryable, "refused for good");
    if (f->transfer == WA_TRANSFER_TIMEOUT)
        FUZZ_CHECK(v->kind == WA_KIND_TIMEOUT, "a timeout is a timeout");
    if (f->transfer == WA_TRANSFER_FAILED)
        FUZZ_CHECK(v->kind == WA_KIND_NETWORK, "a failed transfer is a network error");
    if (f->transfer == WA_TRANSFER_TOO_LARGE)
        FUZZ_CHECK(v->kind == WA_KIND_PROTOCOL && !v->retryable, "too large is a protocol error");
    if (v->kind == WA_KIND_API)
        FUZZ_CHECK(!two_xx, "an api error is not a 2xx");
}

static void check_delay(fuzz_input *in, const wa_verdict *v)
{
    wa_retry_policy p;
    int attempt = (int)(fuzz_byte(in) % 16);
    unsigned how = fuzz_byte(in);
    double server_wait, random, elapsed, d;

    wa_retry_default(&p);
    if (how & 1) { /* the ranges groups.new accepts */
        p.retries = (int)(fuzz_byte(in) % 11);
        p.base = (double)(fuzz_bits(in, 2) % 60001) / 1000.0;
        p.cap = (double)(fuzz_bits(in, 3) % 600001) / 1000.0;
        p.jitter = fuzz_byte(in) / 255.0;
        p.max_wait = (double)(fuzz_bits(in, 3) % 3600001) / 1000.0;
        p.max_elapsed = (double)(fuzz_bits(in, 3) % 86400001) / 1000.0;
    }
    server_wait = (how & 2)   ? -1
                  : (how & 4) ? (double)(fuzz_bits(in, 3) % 1000000) / 1000.0
                              : HUGE_VAL;
    random = (double)fuzz_bits(in, 4) / 4294967296.0;
    elapsed = (double)(fuzz_bits(in, 3) % 86400001) / 1000.0;
    d = wa_retry_delay(&p, attempt, elapsed, v, server_wait, random);
    FUZZ_CHECK(!isnan(d), "a number, not NaN");
    if (d < 0)
        return;
    FUZZ_CHECK(v->retryable && attempt <= p.retries, "waits only for a retry that may happen");
    FUZZ_CHECK(server_wait <= p.max_wait, "a server's wait past max_wait is not waited");
    FUZZ_CHECK(d <= p.cap || d == server_wait, "above the cap only as the server asked");
    FUZZ_CHECK(server_wait < 0 || d >= server_wait, "never shorter than the server asked");
    FUZZ_CHECK(p.max_elapsed <= 0 || elapsed + d <= p.max_elapsed, "never past max_elapsed");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    const wa_op *op = wa_op_get((wa_op_id)(fuzz_byte(&in) % (WA_OP_COUNT + 1)));
    unsigned transfer = fuzz_byte(&in), flags = fuzz_byte(&in);
    wa_facts f;
    wa_verdict v;

    if (op == NULL)
        return 0;
    memset(&f, 0, sizeof f);
    f.transfer = (wa_transfer)(transfer % 5); /* OK, FAILED, TIMEOUT, REFUSED, TOO_LARGE */
    f.request_sent = (flags & 4) != 0;
    f.body_is_object = (flags & 8) != 0;
    f.has_graph_error = (flags & 16) != 0;
    f.is_transient = (flags & 32) != 0;
    f.http_status = pick_status(&in);
    f.graph_code = (flags >> 6) ? (long)(int32_t)fuzz_bits(&in, 4) : 131201;
    v = wa_classify(op, &f);
    check_verdict(op, &f, &v);
    check_delay(&in, &v);
    return 0;
}
