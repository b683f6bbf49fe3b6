/* Media uploads (POST /{phone}/media): the MIME types Meta supports and each one's
 * largest file, written as data, and the check of a file against them. */
#ifndef WA_MEDIA_H
#define WA_MEDIA_H

#include <stddef.h>

#include "wa_verr.h"

/* The largest file of any type: what may be read from a path. */
#define WA_MEDIA_MAX_BYTES (100L * 1024 * 1024)

/* The supported types, NULL-terminated (for the `type` field's choices). */
extern const char *const wa_media_types[];

/* Checks that bytes (n of them) may be uploaded as type: within its size (a sticker,
 * image/webp, 500 KB when animated, 100 KB when static) and, for a sticker, a WebP file.
 * type must be one of wa_media_types. */
int wa_check_media(const char *type, const unsigned char *bytes, size_t n, wa_verr *e);

#endif
