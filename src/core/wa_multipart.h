/* multipart/form-data bodies (RFC 7578) for transports other than libcurl, which encodes
 * its own: the OpenResty and injected transports carry plain bytes. */
#ifndef WA_MULTIPART_H
#define WA_MULTIPART_H

#include <stddef.h>

#include "wa_buf.h"
#include "wa_http.h"

#define WA_BOUNDARY_SIZE 48

/* Encodes the parts into out with a boundary that occurs in none of them, written
 * NUL-terminated into boundary. Part names, file names and types must be plain tokens
 * (ours are constants). 0 on success, -1 when out's limit was reached. */
int wa_multipart_encode(wa_buf *out, char boundary[WA_BOUNDARY_SIZE], const wa_http_part *parts,
                        size_t n);

#endif
