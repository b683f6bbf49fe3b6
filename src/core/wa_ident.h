/* Checks for the strings that reach a URL path or a request header, so that no caller
 * value can change the path, add a query, or inject a header. */
#ifndef WA_IDENT_H
#define WA_IDENT_H

#include <stddef.h>

#include "wa_verr.h"

/* Meta's phone number ids are decimal digits. */
int wa_check_phone_number_id(const char *s, size_t len, wa_verr *e);
/* A Graph version such as "v24.0". */
int wa_check_version(const char *s, size_t len, wa_verr *e);
/* An OAuth bearer token (RFC 6750 b64token); the reason never quotes the token. */
int wa_check_token(const char *s, size_t len, wa_verr *e);
/* Printable ASCII of at most max bytes, fit for a header value. */
int wa_check_header_text(const char *field, const char *s, size_t len, size_t max, wa_verr *e);

#endif
