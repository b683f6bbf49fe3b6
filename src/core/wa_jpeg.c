#include "wa_jpeg.h"

static unsigned wa_be16(const unsigned char *p)
{
    return ((unsigned)p[0] << 8) | p[1];
}

/* Start-of-frame markers carry the size: C0-CF except C4 (DHT), C8 (JPG), CC (DAC). */
static int wa_is_sof(unsigned char m)
{
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/* Markers that stand alone, without a length: TEM and RST0-7. */
static int wa_is_standalone(unsigned char m)
{
    return m == 0x01 || (m >= 0xD0 && m <= 0xD7);
}

int wa_jpeg_size(const unsigned char *p, size_t n, unsigned *width, unsigned *height)
{
    size_t i = 2;

    if (n < 4 || p[0] != 0xFF || p[1] != 0xD8)
        return -1;
    while (i + 1 < n) {
        unsigned char m;
        size_t len;
        if (p[i] != 0xFF)
            return -1;
        while (i < n && p[i] == 0xFF) /* fill bytes */
            i++;
        if (i >= n)
            return -1;
        m = p[i++];
        if (wa_is_standalone(m))
            continue;
        if (m == 0xD9 || m == 0xDA || i + 2 > n) /* end of image or scan before a frame */
            return -1;
        len = wa_be16(p + i);
        if (len < 2 || i + len > n)
            return -1;
        if (wa_is_sof(m)) {
            if (len < 7)
                return -1;
            *height = wa_be16(p + i + 3);
            *width = wa_be16(p + i + 5);
            return 0;
        }
        i += len;
    }
    return -1;
}

int wa_check_picture(const char *field, const unsigned char *p, size_t n, wa_verr *e)
{
    unsigned w = 0, h = 0;

    if (n > (size_t)WA_PICTURE_MAX_BYTES)
        return wa_verr_set(e, field, "must be at most 5 MB, got %zu bytes", n);
    if (wa_jpeg_size(p, n, &w, &h) != 0)
        return wa_verr_set(e, field, "must be a JPEG image");
    if (w != h)
        return wa_verr_set(e, field, "must be square, got %ux%u", w, h);
    if (w < WA_PICTURE_MIN_SIDE)
        return wa_verr_set(e, field, "must be at least 192x192, got %ux%u", w, h);
    return 0;
}
