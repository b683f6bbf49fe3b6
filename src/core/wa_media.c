#include "wa_media.h"

#include <stdio.h>
#include <string.h>

#define WA_KB 1024L
#define WA_MB (1024L * 1024)

/* Meta's "Supported media types" (the Cloud API's media reference) and their sizes. */
#define WA_MEDIA(X) \
    X("audio/aac", 16 * WA_MB) X("audio/amr", 16 * WA_MB) X("audio/mpeg", 16 * WA_MB) \
    X("audio/mp4", 16 * WA_MB) X("audio/ogg", 16 * WA_MB) \
    X("text/plain", 100 * WA_MB) X("application/pdf", 100 * WA_MB) \
    X("application/vnd.ms-excel", 100 * WA_MB) \
    X("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 100 * WA_MB) \
    X("application/msword", 100 * WA_MB) \
    X("application/vnd.openxmlformats-officedocument.wordprocessingml.document", 100 * WA_MB) \
    X("application/vnd.ms-powerpoint", 100 * WA_MB) \
    X("application/vnd.openxmlformats-officedocument.presentationml.presentation", 100 * WA_MB) \
    X("image/jpeg", 5 * WA_MB) X("image/png", 5 * WA_MB) X("image/webp", 500 * WA_KB) \
    X("video/3gp", 16 * WA_MB) X("video/mp4", 16 * WA_MB)

#define WA_STICKER_STATIC_MAX (100 * WA_KB)

const char *const wa_media_types[] = {
#define WA_MEDIA_NAME(type, max) type,
    WA_MEDIA(WA_MEDIA_NAME)
#undef WA_MEDIA_NAME
    NULL,
};

static long wa_media_max(const char *type)
{
#define WA_MEDIA_LIMIT(name, max) \
    if (strcmp(type, name) == 0)  \
        return max;
    WA_MEDIA(WA_MEDIA_LIMIT)
#undef WA_MEDIA_LIMIT
    return 0;
}

/* A WebP file is RIFF....WEBP; an animated one has a VP8X chunk with the animation bit. */
static int wa_media_webp(const unsigned char *b, size_t n, int *animated)
{
    if (n < 12 || memcmp(b, "RIFF", 4) != 0 || memcmp(b + 8, "WEBP", 4) != 0)
        return 0;
    *animated = n >= 21 && memcmp(b + 12, "VP8X", 4) == 0 && (b[20] & 0x02) != 0;
    return 1;
}

static const char *wa_media_size(long bytes, char *out, size_t cap)
{
    if (bytes % WA_MB == 0)
        snprintf(out, cap, "%ld MB", bytes / WA_MB);
    else
        snprintf(out, cap, "%ld KB", bytes / WA_KB);
    return out;
}

int wa_check_media(const char *type, const unsigned char *bytes, size_t n, wa_verr *e)
{
    long max = wa_media_max(type);
    int animated = 0;

    if (max == 0)
        return wa_verr_set(e, "type", "is not a media type Meta supports");
    if (n == 0)
        return wa_verr_set(e, "file", "is empty");
    /* Images are told by their first bytes: a path that could not be read, taken for the
     * bytes, is refused here instead of being uploaded. */
    if ((strcmp(type, "image/jpeg") == 0 && !(n >= 2 && bytes[0] == 0xFF && bytes[1] == 0xD8)) ||
        (strcmp(type, "image/png") == 0 && !(n >= 4 && memcmp(bytes, "\x89PNG", 4) == 0)))
        return wa_verr_set(e, "file", "holds no %s data (and names no readable file)", type);
    if (strcmp(type, "image/webp") == 0) {
        if (!wa_media_webp(bytes, n, &animated))
            return wa_verr_set(e, "file", "is not a WebP file (stickers are image/webp)");
        if (!animated)
            max = WA_STICKER_STATIC_MAX;
    }
    if (n > (size_t)max) {
        char size[32];
        return wa_verr_set(e, "file", "is larger than Meta takes for %s%s (%s)", type,
                           strcmp(type, "image/webp") == 0 ? (animated ? ", animated" : ", static") : "",
                           wa_media_size(max, size, sizeof size));
    }
    return 0;
}
