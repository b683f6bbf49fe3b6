#include "wa_tls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "wa_buf.h"
#include "wa_clock.h"

/* Seconds a store is used before it is built again, so that a long-running client sees
 * updates of the system's CAs: libcurl's own default (CURLOPT_CA_CACHE_TIMEOUT). */
#define WA_TLS_STORE_LIFETIME 86400.0

struct wa_tls {
    int refs;            /* profiles holding it (a Lua state's, so one thread) */
    X509_STORE *store;   /* NULL until the first TLS connection needs it */
    double built;        /* wa_now() when store was built */
    wa_buf extra;        /* ca_file's PEM, read when the profile was made; empty without */
};

int wa_tls_shareable(void)
{
#if LIBCURL_VERSION_NUM >= 0x075400 /* CURLINFO_CAINFO and CURLINFO_CAPATH */
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    char ours[32];

    /* The same major version of OpenSSL: libcurl's SSL_CTX and our store must come from
     * the one library loaded in the process. */
    snprintf(ours, sizeof ours, "OpenSSL/%lu.", (unsigned long)(OpenSSL_version_num() >> 28));
    return v->ssl_version != NULL && strncmp(v->ssl_version, ours, strlen(ours)) == 0;
#else
    return 0;
#endif
}

wa_tls *wa_tls_new(const char *ca_file)
{
    wa_tls *t = calloc(1, sizeof *t);

    if (t == NULL)
        return NULL;
    t->refs = 1;
    wa_buf_init(&t->extra, (size_t)16 * 1024 * 1024);
    if (ca_file != NULL && wa_buf_append_file(&t->extra, ca_file) != 0) {
        wa_tls_free(t);
        return NULL;
    }
    return t;
}

wa_tls *wa_tls_ref(wa_tls *t)
{
    t->refs++;
    return t;
}

void wa_tls_free(wa_tls *t)
{
    if (t == NULL || --t->refs > 0)
        return;
    X509_STORE_free(t->store);
    wa_buf_free(&t->extra);
    free(t);
}

/* Every certificate (and CRL) of a PEM text; -1 when it holds none. */
static int wa_tls_add_pem(X509_STORE *s, const wa_buf *pem)
{
    BIO *bio = BIO_new_mem_buf(pem->data, (int)pem->len);
    STACK_OF(X509_INFO) *infos = bio != NULL ? PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL) : NULL;
    int i, added = 0;

    for (i = 0; infos != NULL && i < sk_X509_INFO_num(infos); i++) {
        const X509_INFO *info = sk_X509_INFO_value(infos, i);
        if (info->x509 != NULL && X509_STORE_add_cert(s, info->x509))
            added++;
        if (info->crl != NULL)
            X509_STORE_add_crl(s, info->crl);
    }
    sk_X509_INFO_pop_free(infos, X509_INFO_free);
    BIO_free(bio);
    return added > 0 ? 0 : -1;
}

/* libcurl's default bundle and directory, where it would have loaded them from (the
 * directory is read lazily by OpenSSL, one hashed file per issuer looked up). */
static int wa_tls_add_system(X509_STORE *s)
{
    const char *file = NULL, *dir = NULL;
    CURL *e = curl_easy_init();
    int bad;

    if (e == NULL)
        return -1;
    curl_easy_getinfo(e, CURLINFO_CAINFO, &file);
    curl_easy_getinfo(e, CURLINFO_CAPATH, &dir);
    bad = (file != NULL || dir != NULL) && X509_STORE_load_locations(s, file, dir) != 1;
    curl_easy_cleanup(e);
    return bad ? -1 : 0;
}

static X509_STORE *wa_tls_build(const wa_tls *t)
{
    X509_STORE *s = X509_STORE_new();

    if (s == NULL)
        return NULL;
    if (wa_tls_add_system(s) != 0 || (t->extra.len > 0 && wa_tls_add_pem(s, &t->extra) != 0)) {
        X509_STORE_free(s);
        return NULL;
    }
    /* What libcurl sets on the stores it builds: an intermediate CA given as trusted is
     * enough, and trusted certificates are preferred while building the chain. */
    X509_STORE_set_flags(s, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_TRUSTED_FIRST);
    return s;
}

/* Called by libcurl for each new TLS connection, before the handshake: the store libcurl
 * made (empty, or ca_file alone) is replaced by the profile's. */
static CURLcode wa_tls_on_ctx(CURL *e, void *ssl_ctx, void *ud)
{
    wa_tls *t = ud;

    (void)e;
    if (t->store != NULL && wa_now() - t->built > WA_TLS_STORE_LIFETIME) {
        X509_STORE_free(t->store); /* connections that took it keep their reference */
        t->store = NULL;
    }
    if (t->store == NULL) {
        t->store = wa_tls_build(t);
        if (t->store == NULL)
            return CURLE_SSL_CACERT_BADFILE;
        t->built = wa_now();
    }
    if (X509_STORE_up_ref(t->store) != 1)
        return CURLE_OUT_OF_MEMORY;
    SSL_CTX_set_cert_store((SSL_CTX *)ssl_ctx, t->store); /* frees the one it had */
    return CURLE_OK;
}

int wa_tls_apply(CURL *e, wa_tls *t, const char *ca_file)
{
    int bad = 0;

    bad |= curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, wa_tls_on_ctx) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, (void *)t) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_CAINFO, ca_file) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_CAPATH, (char *)NULL) != CURLE_OK;
    return bad ? -1 : 0;
}
