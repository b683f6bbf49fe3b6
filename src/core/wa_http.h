/* The blocking transport: one libcurl easy handle per client, so connections are kept
 * alive across calls. Runs no Lua code, so no Lua error can cross a libcurl frame.
 * Also the easy-handle setup both libcurl transports use (this one and wa_multi's pump),
 * so TLS, timeouts, headers and caps are set in one place. */
#ifndef WA_HTTP_H
#define WA_HTTP_H

#include <curl/curl.h>
#include <stddef.h>

/* CURLOPT_PREREQFUNCTION (7.80) is how a request that must not reach Graph twice is kept
 * from libcurl's own resend: without it the build would stop on an unknown name. */
#if LIBCURL_VERSION_NUM < 0x075000
#error "lua-whatsapp-groups needs libcurl 7.80.0 or later (CURLOPT_PREREQFUNCTION); this one is older: see LIBCURL_VERSION in curl/curlver.h"
#endif

#include "wa_buf.h"
#include "wa_verdict.h"

typedef struct wa_http wa_http;

typedef struct wa_http_config {
    const char *token;
    size_t token_len;
    const char *user_agent;
    const char *ca_file;        /* CAs trusted besides the system's; NULL: none */
    const char *proxy;          /* NULL: libcurl's default (the *_proxy variables) */
    long timeout_ms;
    long connect_timeout_ms;
    size_t max_response;        /* answers larger than this are refused */
} wa_http_config;

/* One part of a multipart/form-data body. */
typedef struct wa_http_part {
    const char *name;
    const char *data;
    size_t len;
    const char *filename;       /* NULL for a plain field */
    const char *type;           /* NULL for libcurl's default */
} wa_http_part;

typedef struct wa_http_request {
    const char *method;
    const char *url;
    const char *body;           /* JSON; NULL for none (an empty body) */
    size_t body_len;
    const wa_http_part *parts;  /* with nparts > 0, a multipart POST instead of body */
    size_t nparts;
    int may_resend;             /* harmless if it reaches Graph twice (idempotent) */
} wa_http_request;

/* The answer headers the client reads, written once: X(field, lowercase name, capacity).
 * Every carrier (libcurl's callbacks, a transport's headers table) fills the same struct. */
#define WA_ANSWER_HEADERS(X) \
    X(retry_after, "retry-after", 32) \
    X(usage_business, "x-business-use-case-usage", 1024) \
    X(usage_app, "x-app-usage", 512) \
    X(api_version, "facebook-api-version", 32) \
    X(trace_id, "x-fb-trace-id", 64)

typedef struct wa_answer_headers {
#define WA_HEADER_FIELD(field, name, cap) char field[cap];
    WA_ANSWER_HEADERS(WA_HEADER_FIELD)
#undef WA_HEADER_FIELD
} wa_answer_headers;

/* Empties every value; copies every value (both cheap: they are strings). */
void wa_answer_headers_clear(wa_answer_headers *h);
void wa_answer_headers_copy(wa_answer_headers *dst, const wa_answer_headers *src);
/* Keeps value (trimmed, cut to the field's capacity) when name (name_len bytes, any case)
 * is one of the headers above; ignores it otherwise. */
void wa_answer_header_set(wa_answer_headers *h, const char *name, size_t name_len,
                          const char *value, size_t value_len);

typedef struct wa_http_response {
    wa_transfer transfer;
    int request_sent;
    long status;
    int curl_code;
    const char *body;           /* owned by the transport; valid until its next transfer */
    size_t body_len;
    char error[256];            /* libcurl's words for a failed transfer */
    wa_answer_headers headers;  /* empty strings for those the answer did not have */
} wa_http_response;

struct wa_tls;

/* A client's settings ready to apply to any easy handle: a deep copy of the config (the
 * token wiped on free), the request headers, and the CAs to trust. */
typedef struct wa_http_profile {
    wa_http_config cfg;               /* its strings are the copies below */
    char *token, *user_agent, *ca_file, *proxy;
    struct curl_slist *json_headers;  /* both hold Authorization, User-Agent, Accept-Encoding */
    struct curl_slist *form_headers;  /* no Content-Type: libcurl sets the boundary */
    struct curl_slist *small_headers; /* json_headers less Expect:, for small bodies */
    wa_buf ca;                        /* system CAs + ca_file (PEM) for libcurl, when tls is
                                       * NULL and ca_file is given; else empty */
    /* Which profile an easy handle was last set up for: unique in the process, never
     * reused, unlike the profile's address (0 is no profile). */
    unsigned long long generation;
    struct wa_tls *tls;               /* the CA store shared into every new TLS connection;
                                       * NULL where libcurl's backend cannot take it */
} wa_http_profile;

/* What the callbacks of one easy handle fill during a transfer. */
typedef struct wa_http_io {
    wa_buf body;
    int too_large;
    const wa_http_request *sending;   /* the request with a body being sent, if any */
    int attempts;                     /* times libcurl started it, this transfer */
    wa_answer_headers headers;
    char error[CURL_ERROR_SIZE];
} wa_http_io;

/* curl_global_init, once; 0 when it failed. */
int wa_http_global_init(void);

/* 0, or -1 when memory ran out or ca_file could not be read. */
int wa_http_profile_init(wa_http_profile *p, const wa_http_config *cfg);
/* A copy of src for another transport (the pump): the same settings and a generation of
 * its own, sharing src's CA store, so that it is built once for both. src may be freed
 * first. 0, or -1 when memory ran out. */
int wa_http_profile_copy(wa_http_profile *p, const wa_http_profile *src);
void wa_http_profile_free(wa_http_profile *p);

void wa_http_io_init(wa_http_io *io);
/* Gives a large answer's memory back. */
void wa_http_io_reset(wa_http_io *io);
void wa_http_io_free(wa_http_io *io);

/* Resets e and applies the profile: TLS (verification always on), protocols, timeouts,
 * size cap, user agent, proxy, and the callbacks that fill io. 0, or -1 if refused. */
int wa_http_easy_setup(CURL *e, const wa_http_profile *p, wa_http_io *io);
/* The same, unless e was last set up for this very profile with this io: *applied holds
 * the generation e was last set up for (0: none, or a failed setup) and is updated. */
int wa_http_easy_setup_once(CURL *e, const wa_http_profile *p, wa_http_io *io,
                            unsigned long long *applied);
/* Empties io and sets rq on e: URL, method, headers, body (read from rq, never resent by
 * libcurl itself unless rq->may_resend) or multipart form (*form, to free once the
 * transfer is over). 0, or -1 when the form could not be built. */
int wa_http_easy_request(CURL *e, wa_http_io *io, const wa_http_profile *p,
                         const wa_http_request *rq, curl_mime **form);
/* Fills rs after a transfer that ended with rc; performed is 0 when it never ran (e may
 * then be NULL). rs->body points into io. */
void wa_http_easy_response(CURL *e, CURLcode rc, const wa_http_io *io, int performed,
                           wa_http_response *rs);

/* NULL when libcurl could not be set up; *why then says what failed. */
wa_http *wa_http_new(const wa_http_config *cfg, const char **why);
/* The settings the handle was made with, for another transport to copy. */
const wa_http_profile *wa_http_settings(const wa_http *h);
void wa_http_perform(wa_http *h, const wa_http_request *rq, wa_http_response *rs);
/* Frees the handle and wipes the token from memory. */
void wa_http_free(wa_http *h);

#endif
