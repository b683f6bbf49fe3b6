/* Webhook security: the X-Hub-Signature-256 check and a constant-time comparison of
 * secrets, through OpenSSL's libcrypto. No Lua, no I/O. */
#ifndef WA_HMAC_H
#define WA_HMAC_H

#include <stddef.h>

#define WA_HMAC_PREFIX "sha256="
#define WA_HMAC_HEX_LEN 64 /* SHA-256 digest as hex */

/* 1 when header is "sha256=" followed by the 64 hex digits (either case) of
 * HMAC-SHA256(key, msg); 0 for a mismatch and for anything malformed: an empty key, a
 * missing or different prefix, a wrong length, a non-hex digit. The digests are compared
 * in constant time. */
int wa_hmac_sha256_verify(const void *key, size_t key_len, const void *msg, size_t msg_len,
                          const char *header, size_t header_len);

/* 1 when a and b hold the same bytes. The time taken does not depend on where they differ
 * nor on the length of a (the caller's secret): both are hashed first. */
int wa_secret_equal(const void *a, size_t a_len, const void *b, size_t b_len);

#endif
