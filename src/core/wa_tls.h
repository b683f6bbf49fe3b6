/* The CAs a client trusts, as one OpenSSL X509_STORE built once per client profile (on
 * its first TLS connection, and again a day later, as libcurl's own cache would) and
 * shared into the SSL_CTX of every new connection through CURLOPT_SSL_CTX_FUNCTION. libcurl would otherwise parse the whole CA bundle again for
 * each connection: libcurl 7.88 caches its store only when no CA path is set, and
 * Debian's libcurl has one compiled in, and never caches a CAINFO_BLOB. Knows nothing of
 * Lua; used only when libcurl runs on the OpenSSL this module is linked with. */
#ifndef WA_TLS_H
#define WA_TLS_H

#include <curl/curl.h>

typedef struct wa_tls wa_tls;

/* 1 when libcurl's TLS backend is the OpenSSL this module links, so an X509_STORE of
 * ours can go into its SSL_CTX; 0 otherwise (libcurl then loads the CAs itself). */
int wa_tls_shareable(void);

/* The system's CAs (libcurl's default bundle and directory) and those of ca_file (NULL:
 * none). ca_file is read now, so a file that cannot be read fails here; the system
 * bundle is parsed on the first TLS connection. NULL: ca_file unreadable or out of
 * memory. */
wa_tls *wa_tls_new(const char *ca_file);
/* Another holder of t (a copy of the profile): t is freed with the last one. */
wa_tls *wa_tls_ref(wa_tls *t);
/* Drops a holder of t; connections that took its store keep their own reference. */
void wa_tls_free(wa_tls *t);

/* Makes every new TLS connection of e trust t's CAs: libcurl loads none itself (only
 * ca_file, which is small, under its own name, so that connections and TLS sessions are
 * shared only between profiles that trust the same CAs). 0, or -1 if refused. */
int wa_tls_apply(CURL *e, wa_tls *t, const char *ca_file);

#endif
