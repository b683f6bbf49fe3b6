/* The blocking transport: one libcurl easy handle per client, so connections are kept
 * alive across calls. Runs no Lua code, so no Lua error can cross a libcurl frame. */
#ifndef WA_HTTP_H
#define WA_HTTP_H

#include <stddef.h>

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

typedef struct wa_http_response {
    wa_transfer transfer;
    int request_sent;
    long status;
    int curl_code;
    const char *body;           /* owned by the handle; valid until the next perform */
    size_t body_len;
    char error[256];            /* libcurl's words for a failed transfer */
    char retry_after[32];       /* the Retry-After header, if any */
    char usage_business[1024];  /* X-Business-Use-Case-Usage (JSON), if any */
    char usage_app[512];        /* X-App-Usage (JSON), if any */
} wa_http_response;

/* NULL when libcurl could not be set up; *why then says what failed. */
wa_http *wa_http_new(const wa_http_config *cfg, const char **why);
void wa_http_perform(wa_http *h, const wa_http_request *rq, wa_http_response *rs);
/* Frees the handle and wipes the token from memory. */
void wa_http_free(wa_http *h);

#endif
