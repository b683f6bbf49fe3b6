#include "wa_http.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "wa_tls.h"

struct wa_http {
    CURL *easy;
    wa_http_profile profile;
    wa_http_io io;
};

int wa_http_global_init(void)
{
    static int done = 0;
    if (!done && curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK)
        done = 1;
    return done;
}

static size_t wa_http_on_body(char *data, size_t size, size_t n, void *ud)
{
    wa_http_io *h = ud;
    if (wa_buf_append(&h->body, data, size * n) != 0) {
        h->too_large = 1;
        return 0; /* makes libcurl stop with CURLE_WRITE_ERROR */
    }
    return size * n;
}

static int wa_all_digits(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return n > 0;
}

static void wa_copy_header_value(char *dst, size_t cap, const char *v, size_t n)
{
    while (n > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
        n--;
    if (wa_all_digits(v, n)) /* "0000...5" (Retry-After) must not be cut to "0000" */
        while (n > 1 && v[0] == '0') {
            v++;
            n--;
        }
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

void wa_answer_headers_clear(wa_answer_headers *h)
{
#define WA_HEADER_CLEAR(field, text, cap) h->field[0] = '\0';
    WA_ANSWER_HEADERS(WA_HEADER_CLEAR)
#undef WA_HEADER_CLEAR
}

/* The values are strings: copying up to their end is enough. */
void wa_answer_headers_copy(wa_answer_headers *dst, const wa_answer_headers *src)
{
#define WA_HEADER_COPY(field, text, cap) \
    memcpy(dst->field, src->field, strnlen(src->field, (cap) - 1) + 1); \
    dst->field[(cap) - 1] = '\0';
    WA_ANSWER_HEADERS(WA_HEADER_COPY)
#undef WA_HEADER_COPY
}

void wa_answer_header_set(wa_answer_headers *h, const char *name, size_t name_len,
                          const char *value, size_t value_len)
{
#define WA_HEADER_TAKE(field, text, cap) \
    if (name_len == sizeof(text) - 1 && strncasecmp(name, text, name_len) == 0) { \
        wa_copy_header_value(h->field, cap, value, value_len); \
        return; \
    }
    WA_ANSWER_HEADERS(WA_HEADER_TAKE)
#undef WA_HEADER_TAKE
}

/* One header line ("Name: value\r\n") of the answer. */
static size_t wa_http_on_header(char *data, size_t size, size_t n, void *ud)
{
    wa_http_io *h = ud;
    size_t len = size * n;
    const char *colon;
    int first = len > 0 ? data[0] | 0x20 : 0;

    /* Ours start with f, r or x; a status line (HTTP/...) with h. Most are none of these. */
    if (first != 'f' && first != 'r' && first != 'x' && first != 'h')
        return len;
    colon = memchr(data, ':', len);
    if (colon != NULL)
        wa_answer_header_set(&h->headers, data, (size_t)(colon - data), colon + 1,
                             len - (size_t)(colon - data) - 1);
    else if (len > 5 && strncmp(data, "HTTP/", 5) == 0)
        wa_answer_headers_clear(&h->headers); /* a new answer: an interim one's go */
    return len;
}

static void wa_http_free_headers(struct curl_slist *list)
{
    struct curl_slist *node;
    for (node = list; node != NULL; node = node->next)
        OPENSSL_cleanse(node->data, strlen(node->data));
    curl_slist_free_all(list);
}

/* "Expect:" stops libcurl from waiting for 100-continue on larger bodies; below
 * WA_HTTP_NO_EXPECT bytes libcurl never asks for it, and one header fewer is less work. */
#define WA_HTTP_NO_EXPECT 1024
static const char *const wa_form_headers[] = {"Accept: application/json", "Expect:"};
static const char *const wa_json_headers[] = {
    "Accept: application/json", "Expect:", "Content-Type: application/json",
};
static const char *const wa_small_headers[] = {
    "Accept: application/json", "Content-Type: application/json",
};

/* list with prefix and value appended as one line; NULL (list freed) when out of memory. */
static struct curl_slist *wa_http_header_add(struct curl_slist *list, const char *prefix,
                                             const char *value, size_t value_len)
{
    size_t plen = strlen(prefix), n = plen + value_len + 1;
    char *line = malloc(n);
    struct curl_slist *next = NULL;

    if (line != NULL) {
        memcpy(line, prefix, plen);
        memcpy(line + plen, value, value_len);
        line[n - 1] = '\0';
        next = curl_slist_append(list, line);
        OPENSSL_cleanse(line, n); /* it may hold the token */
        free(line);
    }
    if (next == NULL)
        wa_http_free_headers(list);
    return next;
}

/* The encodings libcurl decodes (what CURLOPT_ACCEPT_ENCODING "" offers), as a header
 * value; "" when it decodes none. */
static void wa_http_encodings(char *list, size_t cap)
{
    static const struct {
        int feature;
        const char *names;
    } known[] = {
        {CURL_VERSION_LIBZ, "deflate, gzip"}, {CURL_VERSION_BROTLI, "br"}, {CURL_VERSION_ZSTD, "zstd"},
    };
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    size_t i, len = 0;

    list[0] = '\0';
    for (i = 0; i < sizeof known / sizeof known[0]; i++)
        if ((v->features & known[i].feature) != 0 && len < cap)
            len += (size_t)snprintf(list + len, cap - len, "%s%s", len > 0 ? ", " : "",
                                    known[i].names);
}

/* The headers every request of the profile sends. User-Agent and Accept-Encoding are
 * given here, once, rather than left to CURLOPT_USERAGENT and CURLOPT_ACCEPT_ENCODING:
 * libcurl would format both through its printf engine again for every request. */
static struct curl_slist *wa_http_headers(const wa_http_config *cfg, const char *const *fixed,
                                          size_t nfixed)
{
    char encodings[32];
    struct curl_slist *list = wa_http_header_add(NULL, "Authorization: Bearer ", cfg->token,
                                                 cfg->token_len);
    size_t i;

    for (i = 0; list != NULL && i < nfixed; i++)
        list = wa_http_header_add(list, fixed[i], "", 0);
    if (list != NULL && cfg->user_agent != NULL)
        list = wa_http_header_add(list, "User-Agent: ", cfg->user_agent, strlen(cfg->user_agent));
    wa_http_encodings(encodings, sizeof encodings);
    if (list != NULL && encodings[0] != '\0')
        list = wa_http_header_add(list, "Accept-Encoding: ", encodings, strlen(encodings));
    return list;
}

/* libcurl calls this before every attempt at a request, including the one it makes on
 * its own, on a fresh connection, when a reused connection died before an answer. That
 * second attempt is refused for requests that must not reach Graph twice: the call then
 * ends with its outcome unknown instead of a silent duplicate. */
static int wa_http_on_prereq(void *ud, char *remote_ip, char *local_ip, int remote_port,
                             int local_port)
{
    wa_http_io *h = ud;

    (void)remote_ip;
    (void)local_ip;
    (void)remote_port;
    (void)local_port;
    if (++h->attempts > 1 && h->sending != NULL && !h->sending->may_resend)
        return CURL_PREREQFUNC_ABORT;
    return CURL_PREREQFUNC_OK;
}

/* The system's CAs and those of ca_file, as one PEM bundle (read once per profile). */
static int wa_http_read_ca(wa_buf *pem, const char *ca_file)
{
#if LIBCURL_VERSION_NUM >= 0x075400
    const char *system_bundle = NULL;
    CURL *e = curl_easy_init();
    int bad;

    if (e == NULL)
        return -1;
    curl_easy_getinfo(e, CURLINFO_CAINFO, &system_bundle);
    bad = (system_bundle != NULL && wa_buf_append_file(pem, system_bundle) != 0) ||
          wa_buf_append(pem, "\n", 1) != 0 || wa_buf_append_file(pem, ca_file) != 0;
    curl_easy_cleanup(e);
    return bad ? -1 : 0;
#else
    (void)pem;
    (void)ca_file;
    return 0;
#endif
}

/* Trusts the system's CAs and those of ca_file. */
static int wa_http_add_ca(CURL *e, const wa_http_profile *p)
{
#if LIBCURL_VERSION_NUM >= 0x075400
    struct curl_blob blob;

    blob.data = p->ca.data;
    blob.len = p->ca.len;
    blob.flags = CURL_BLOB_COPY;
    return curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &blob) == CURLE_OK ? 0 : -1;
#else
    /* Older libcurl cannot say where its bundle is: the file replaces it. */
    return curl_easy_setopt(e, CURLOPT_CAINFO, p->cfg.ca_file) == CURLE_OK ? 0 : -1;
#endif
}

static char *wa_http_strdup(const char *s, size_t len, int *bad)
{
    char *copy;

    if (s == NULL)
        return NULL;
    copy = malloc(len + 1);
    if (copy == NULL) {
        *bad = 1;
        return NULL;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

/* A number no profile of this process had before. Profiles are made by whichever thread
 * runs a Lua state, so the count is atomic where the compiler offers it. */
static unsigned long long wa_http_next_generation(void)
{
    static unsigned long long last = 0;
#if defined(__GNUC__) || defined(__clang__)
    return __atomic_add_fetch(&last, 1, __ATOMIC_RELAXED);
#else
    return ++last;
#endif
}

/* The profile of cfg; its CA store is tls when given (shared), else made for it. */
static int wa_http_profile_build(wa_http_profile *p, const wa_http_config *cfg, wa_tls *tls)
{
    int bad = 0;

    memset(p, 0, sizeof *p);
    p->cfg = *cfg;
    p->cfg.token = p->token = wa_http_strdup(cfg->token, cfg->token_len, &bad);
    p->cfg.user_agent = p->user_agent =
        wa_http_strdup(cfg->user_agent, cfg->user_agent ? strlen(cfg->user_agent) : 0, &bad);
    p->cfg.ca_file = p->ca_file =
        wa_http_strdup(cfg->ca_file, cfg->ca_file ? strlen(cfg->ca_file) : 0, &bad);
    p->cfg.proxy = p->proxy = wa_http_strdup(cfg->proxy, cfg->proxy ? strlen(cfg->proxy) : 0, &bad);
    wa_buf_init(&p->ca, (size_t)16 * 1024 * 1024);
    if (bad)
        return -1;
    p->json_headers = wa_http_headers(&p->cfg, wa_json_headers,
                                      sizeof wa_json_headers / sizeof wa_json_headers[0]);
    p->form_headers = wa_http_headers(&p->cfg, wa_form_headers,
                                      sizeof wa_form_headers / sizeof wa_form_headers[0]);
    p->small_headers = wa_http_headers(&p->cfg, wa_small_headers,
                                       sizeof wa_small_headers / sizeof wa_small_headers[0]);
    if (p->json_headers == NULL || p->form_headers == NULL || p->small_headers == NULL)
        return -1;
    p->generation = wa_http_next_generation();
    if (tls != NULL)
        p->tls = wa_tls_ref(tls);
    else if (wa_tls_shareable())
        return (p->tls = wa_tls_new(p->cfg.ca_file)) == NULL ? -1 : 0;
    else if (p->cfg.ca_file != NULL && wa_http_read_ca(&p->ca, p->cfg.ca_file) != 0)
        return -1;
    return 0;
}

int wa_http_profile_init(wa_http_profile *p, const wa_http_config *cfg)
{
    return wa_http_profile_build(p, cfg, NULL);
}

int wa_http_profile_copy(wa_http_profile *p, const wa_http_profile *src)
{
    return wa_http_profile_build(p, &src->cfg, src->tls);
}

void wa_http_profile_free(wa_http_profile *p)
{
    wa_http_free_headers(p->json_headers);
    wa_http_free_headers(p->form_headers);
    wa_http_free_headers(p->small_headers);
    p->json_headers = p->form_headers = p->small_headers = NULL;
    if (p->token != NULL)
        OPENSSL_cleanse(p->token, p->cfg.token_len);
    free(p->token);
    free(p->user_agent);
    free(p->ca_file);
    free(p->proxy);
    p->token = p->user_agent = p->ca_file = p->proxy = NULL;
    p->cfg.token = p->cfg.user_agent = p->cfg.ca_file = p->cfg.proxy = NULL;
    wa_buf_free(&p->ca);
    wa_tls_free(p->tls);
    p->tls = NULL;
    p->generation = 0;
}

void wa_http_io_init(wa_http_io *io)
{
    memset(io, 0, sizeof *io);
    wa_buf_init(&io->body, 0);
}

void wa_http_io_reset(wa_http_io *io)
{
    wa_buf_reset(&io->body);
}

void wa_http_io_free(wa_http_io *io)
{
    wa_buf_free(&io->body);
}

/* TLS verification is always on; a ca_file adds CAs to the system's. */
int wa_http_easy_setup(CURL *e, const wa_http_profile *p, wa_http_io *io)
{
    const wa_http_config *cfg = &p->cfg;
    int bad = 0;

    curl_easy_reset(e); /* nothing left from another client's settings */
    io->body.limit = cfg->max_response;
    bad |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
#if LIBCURL_VERSION_NUM >= 0x075500
    bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK;
#else
    bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)) != CURLE_OK;
#endif
    bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, io->error) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, wa_http_on_body) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, io) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, wa_http_on_header) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_HEADERDATA, io) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, wa_http_on_prereq) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_PREREQDATA, io) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, cfg->timeout_ms) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, cfg->connect_timeout_ms) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)cfg->max_response) != CURLE_OK;
    /* Best effort: HTTP/2 where offered, compressed answers (the header is in the
     * profile's lists; this turns decoding on), TCP keep-alive. */
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    if (p->tls != NULL)
        bad |= wa_tls_apply(e, p->tls, cfg->ca_file) != 0;
    else if (cfg->ca_file != NULL)
        bad |= wa_http_add_ca(e, p) != 0;
    if (cfg->proxy != NULL) {
        /* The request carries User-Agent in its headers; a proxy's CONNECT takes it
         * from here. */
        bad |= curl_easy_setopt(e, CURLOPT_PROXY, cfg->proxy) != CURLE_OK;
        bad |= curl_easy_setopt(e, CURLOPT_USERAGENT, cfg->user_agent) != CURLE_OK;
    }
    return bad ? -1 : 0;
}

int wa_http_easy_setup_once(CURL *e, const wa_http_profile *p, wa_http_io *io,
                            unsigned long long *applied)
{
    if (*applied != 0 && *applied == p->generation)
        return 0;
    *applied = 0;
    if (wa_http_easy_setup(e, p, io) != 0)
        return -1;
    *applied = p->generation;
    return 0;
}

wa_http *wa_http_new(const wa_http_config *cfg, const char **why)
{
    wa_http *h;

    *why = "libcurl could not be initialised";
    if (!wa_http_global_init())
        return NULL;
    h = calloc(1, sizeof *h);
    if (h == NULL) {
        *why = "out of memory";
        return NULL;
    }
    wa_http_io_init(&h->io);
    h->easy = curl_easy_init();
    if (wa_http_profile_init(&h->profile, cfg) != 0 || h->easy == NULL ||
        wa_http_easy_setup(h->easy, &h->profile, &h->io) != 0) {
        *why = "libcurl refused the client's settings";
        wa_http_free(h);
        return NULL;
    }
    return h;
}

const wa_http_profile *wa_http_settings(const wa_http *h)
{
    return &h->profile;
}

static void wa_http_set_method(CURL *e, wa_http_io *h, const wa_http_request *rq)
{
    if (strcmp(rq->method, "GET") == 0) {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, (char *)NULL);
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        return;
    }
    /* POSTFIELDS sends the body with the headers, in one write; libcurl does not copy it
     * (it lives until the transfer ends). CUSTOMREQUEST renames POST to DELETE. */
    h->sending = rq;
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, rq->body != NULL ? rq->body : "");
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST,
                     strcmp(rq->method, "POST") == 0 ? (char *)NULL : rq->method);
}

/* A multipart/form-data body; NULL when libcurl could not build it. */
static curl_mime *wa_http_form(CURL *e, const wa_http_request *rq)
{
    curl_mime *mime = curl_mime_init(e);
    size_t i;

    for (i = 0; mime != NULL && i < rq->nparts; i++) {
        const wa_http_part *p = &rq->parts[i];
        curl_mimepart *part = curl_mime_addpart(mime);
        if (part == NULL || curl_mime_name(part, p->name) != CURLE_OK ||
            curl_mime_data(part, p->data, p->len) != CURLE_OK ||
            (p->filename != NULL && curl_mime_filename(part, p->filename) != CURLE_OK) ||
            (p->type != NULL && curl_mime_type(part, p->type) != CURLE_OK)) {
            curl_mime_free(mime);
            return NULL;
        }
    }
    return mime;
}

/* Failures that sending again cannot mend: the peer is not trusted, or the request
 * cannot be made as configured. */
static int wa_http_permanent(CURLcode rc)
{
    switch (rc) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return 1;
    default:
        return 0;
    }
}

static wa_transfer wa_http_transfer(const wa_http_io *h, CURLcode rc)
{
    if (rc == CURLE_OK)
        return WA_TRANSFER_OK;
    if (wa_http_permanent(rc))
        return WA_TRANSFER_REFUSED;
    if (rc == CURLE_OPERATION_TIMEDOUT)
        return WA_TRANSFER_TIMEOUT;
    if (rc == CURLE_FILESIZE_EXCEEDED || (rc == CURLE_WRITE_ERROR && h != NULL && h->too_large))
        return WA_TRANSFER_TOO_LARGE;
    return WA_TRANSFER_FAILED;
}

int wa_http_easy_request(CURL *e, wa_http_io *io, const wa_http_profile *p,
                         const wa_http_request *rq, curl_mime **form)
{
    wa_buf_reset(&io->body);
    io->too_large = 0;
    io->sending = NULL;
    io->attempts = 0;
    wa_answer_headers_clear(&io->headers);
    io->error[0] = '\0';
    *form = NULL;
    curl_easy_setopt(e, CURLOPT_URL, rq->url);
    if (rq->nparts > 0) {
        *form = wa_http_form(e, rq);
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, (char *)NULL);
        curl_easy_setopt(e, CURLOPT_MIMEPOST, *form);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, p->form_headers);
        return *form == NULL ? -1 : 0;
    }
    wa_http_set_method(e, io, rq);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER,
                     rq->body_len < WA_HTTP_NO_EXPECT ? p->small_headers : p->json_headers);
    return 0;
}

void wa_http_easy_response(CURL *e, CURLcode rc, const wa_http_io *io, int performed,
                           wa_http_response *rs)
{
    long sent = 0;

    memset(rs, 0, sizeof *rs);
    rs->curl_code = (int)rc;
    rs->transfer = wa_http_transfer(io, rc);
    if (performed && e != NULL) { /* otherwise the info is stale: nothing was sent */
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &rs->status);
        curl_easy_getinfo(e, CURLINFO_REQUEST_SIZE, &sent);
        rs->request_sent = sent > 0;
    }
    rs->body = io != NULL && io->body.data != NULL ? io->body.data : "";
    rs->body_len = io != NULL ? io->body.len : 0;
    if (rc == CURLE_ABORTED_BY_CALLBACK && io != NULL && io->attempts > 1) /* refused resend */
        snprintf(rs->error, sizeof rs->error, "the connection closed after the request was "
                 "sent; it was not sent again, since it must not reach Graph twice");
    else if (rc != CURLE_OK)
        snprintf(rs->error, sizeof rs->error, "%s",
                 io != NULL && io->error[0] ? io->error : curl_easy_strerror(rc));
    if (io == NULL)
        return;
    wa_answer_headers_copy(&rs->headers, &io->headers);
}

void wa_http_perform(wa_http *h, const wa_http_request *rq, wa_http_response *rs)
{
    CURLcode rc;
    curl_mime *form = NULL;
    int form_failed = wa_http_easy_request(h->easy, &h->io, &h->profile, rq, &form) != 0;

    rc = form_failed ? CURLE_OUT_OF_MEMORY : curl_easy_perform(h->easy);
    if (form != NULL) {
        curl_easy_setopt(h->easy, CURLOPT_MIMEPOST, (curl_mime *)NULL);
        curl_mime_free(form);
    }
    wa_http_easy_response(h->easy, rc, &h->io, !form_failed, rs);
}

void wa_http_free(wa_http *h)
{
    if (h == NULL)
        return;
    if (h->easy != NULL)
        curl_easy_cleanup(h->easy);
    wa_http_profile_free(&h->profile);
    wa_http_io_free(&h->io);
    free(h);
}
