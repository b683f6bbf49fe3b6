/* A group picture given as JPEG bytes or as the path of a JPEG file. */
#ifndef LWA_PICTURE_H
#define LWA_PICTURE_H

#include <stddef.h>

#include "lwa_args.h"

/* Pushes the picture's bytes after Meta's checks (JPEG, at most 5 MB, square, at least
 * 192x192). A value that starts like a JPEG is taken as the bytes; anything else as a
 * path. Raises a validation error naming the field. */
void lwa_picture_push(lua_State *L, const lwa_args *a, const char *field, const char *value,
                      size_t len);

#endif
