#include "lwa_picture.h"

#include <stdio.h>
#include <string.h>

#include "wa_jpeg.h"
#include "wa_media.h"

/* Whether an open file is a regular file (a directory opens too, but reads fail). */
static int lwa_is_regular(FILE *f)
{
    int c = getc(f);

    if (c == EOF)
        return !ferror(f);
    ungetc(c, f);
    return 1;
}

/* Reads at most cap bytes of the file into a userdata buffer (collected even if a later
 * step raises) and pushes them; the file is closed before any Lua call that could raise. */
static void lwa_read(lua_State *L, const lwa_args *a, const char *field, FILE *f, size_t cap)
{
    size_t n;
    char *buf = lua_newuserdata(L, cap);
    int failed;

    n = fread(buf, 1, cap, f);
    failed = ferror(f);
    fclose(f);
    if (failed)
        lwa_args_fail(a, field, "could not be read");
    lua_pushlstring(L, buf, n);
    lua_remove(L, -2);
}

static void lwa_picture_read(lua_State *L, const lwa_args *a, const char *field,
                             const char *path)
{
    FILE *f = fopen(path, "rb");

    if (f == NULL)
        lwa_args_fail(a, field, "is neither JPEG bytes nor a readable file");
    else
        lwa_read(L, a, field, f, (size_t)WA_PICTURE_MAX_BYTES + 1);
}

void lwa_media_push(lua_State *L, const lwa_args *a, const char *field, const char *value,
                    size_t len)
{
    FILE *f = NULL;

    /* A readable file of that name is the file; anything else is the bytes themselves. */
    if (len > 0 && len <= 4096 && memchr(value, '\0', len) == NULL)
        f = fopen(value, "rb");
    if (f != NULL && lwa_is_regular(f))
        lwa_read(L, a, field, f, (size_t)WA_MEDIA_MAX_BYTES + 1);
    else {
        if (f != NULL)
            fclose(f);
        lua_pushlstring(L, value, len);
    }
}

void lwa_picture_push(lua_State *L, const lwa_args *a, const char *field, const char *value,
                      size_t len)
{
    const unsigned char *p;
    size_t n;
    wa_verr e;

    if (len >= 2 && (unsigned char)value[0] == 0xFF && (unsigned char)value[1] == 0xD8)
        lua_pushlstring(L, value, len);
    else if (len == 0 || memchr(value, '\0', len) != NULL)
        lwa_args_fail(a, field, "must be JPEG bytes or the path of a JPEG file");
    else
        lwa_picture_read(L, a, field, value);
    p = (const unsigned char *)lua_tolstring(L, -1, &n);
    if (wa_check_picture(field, p, n, &e) != 0)
        lwa_args_fail(a, e.field, e.reason);
}
