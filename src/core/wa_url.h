/* Request URLs: a checked base URL, the version, then percent-encoded path segments. */
#ifndef WA_URL_H
#define WA_URL_H

#include <stddef.h>

#include "wa_buf.h"
#include "wa_verr.h"

/* http(s)://host[:port][/prefix] with no user info, query or fragment. On success narrows
 * *len to drop trailing slashes. */
int wa_url_check_base(const char *s, size_t *len, wa_verr *e);

/* Appends "/" and the segment, percent-encoding every byte outside RFC 3986's
 * unreserved set, so a segment can never add a path level, a query or a fragment. */
int wa_url_append_segment(wa_buf *b, const char *seg, size_t len);

/* Appends "?name=value" or "&name=value", the value percent-encoded. The buffer must
 * already hold the URL. */
int wa_url_append_query(wa_buf *b, const char *name, const char *value, size_t len);

#endif
