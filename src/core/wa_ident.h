/* Checks for the strings that reach a URL, a header or a list Graph reads, so that no
 * caller value can change the path, add a query, or inject a header. Reasons never quote
 * the value (it may be a secret). */
#ifndef WA_IDENT_H
#define WA_IDENT_H

#include <stddef.h>

#include "wa_verr.h"

/* The shortest token accepted: Meta's are far longer. */
#define WA_TOKEN_MIN 10

/* Meta's phone number ids are decimal digits. */
int wa_check_phone_number_id(const char *s, size_t len, wa_verr *e);
/* A Graph version such as "v24.0". */
int wa_check_version(const char *s, size_t len, wa_verr *e);
/* An OAuth bearer token (RFC 6750 b64token). */
int wa_check_token(const char *s, size_t len, wa_verr *e);
/* Printable ASCII of at most max bytes, fit for a header value. */
int wa_check_header_text(const char *field, const char *s, size_t len, size_t max, wa_verr *e);
/* An opaque Graph id (group, join request, message, media): base64-like characters. */
int wa_check_graph_id(const char *field, const char *s, size_t len, wa_verr *e);
/* An opaque id that travels in a JSON body (join request, message, media id): the
 * characters of a Graph id plus '/', as base64 has it. */
int wa_check_opaque_id(const char *field, const char *s, size_t len, wa_verr *e);
/* A participant: a phone number ("+16505551234"), a WhatsApp id (digits) or a
 * business-scoped user id ("US.13491208655302741918"). */
int wa_check_participant(const char *field, const char *s, size_t len, wa_verr *e);
/* A paging cursor: printable ASCII without spaces. */
int wa_check_cursor(const char *field, const char *s, size_t len, wa_verr *e);
/* A proxy URL: scheme://[user:password@]host[:port], the scheme one libcurl speaks. The
 * reason never quotes it (it may hold a password). */
int wa_check_proxy(const char *s, size_t len, wa_verr *e);
/* An http(s) URL of printable ASCII, for media links. */
int wa_check_link(const char *field, const char *s, size_t len, wa_verr *e);

#endif
