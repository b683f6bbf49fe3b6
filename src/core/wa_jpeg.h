/* Group profile pictures: the size of a JPEG read from its header, without decoding. */
#ifndef WA_JPEG_H
#define WA_JPEG_H

#include <stddef.h>

#include "wa_verr.h"

#define WA_PICTURE_MAX_BYTES (5L * 1024 * 1024)
#define WA_PICTURE_MIN_SIDE 192

/* Width and height from the first start-of-frame marker. 0 on success; -1 when the bytes
 * are not a JPEG, or end before a frame header. */
int wa_jpeg_size(const unsigned char *p, size_t n, unsigned *width, unsigned *height);

/* Meta's rules for a group picture: JPEG, at most 5 MB, square, at least 192x192. */
int wa_check_picture(const char *field, const unsigned char *p, size_t n, wa_verr *e);

#endif
