/* Files given as bytes or as a path: a group picture (JPEG) and a media upload. */
#ifndef LWA_PICTURE_H
#define LWA_PICTURE_H

#include <stddef.h>

#include "lwa_args.h"

/* Pushes the picture's bytes after Meta's checks (JPEG, at most 5 MB, square, at least
 * 192x192). A value that starts like a JPEG is taken as the bytes; anything else as a
 * path. Raises a validation error naming the field. */
void lwa_picture_push(lua_State *L, const lwa_args *a, const char *field, const char *value,
                      size_t len);

/* Pushes the bytes of a file to upload: value is the path of a readable file (read up to
 * Meta's largest media size and one byte more), or else the bytes themselves. Raises a
 * validation error naming the field when the file cannot be read. */
void lwa_media_push(lua_State *L, const lwa_args *a, const char *field, const char *value,
                    size_t len);

#endif
