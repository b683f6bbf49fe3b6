/* A reference UTF-8 decoder for the fuzz targets, written by value rather than by the
 * table wa_utf8 uses, so the two can check each other. */
#ifndef REF_UTF8_H
#define REF_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Code points in s, or -1 when it is not UTF-8: a code point must fit its length (no
 * overlong form) and must not be NUL, a surrogate or past U+10FFFF. */
static inline long ref_utf8_count(const uint8_t *s, size_t n)
{
    static const unsigned long min[] = {0, 0, 0x80, 0x800, 0x10000};
    long count = 0;
    size_t i = 0;

    while (i < n) {
        unsigned c = s[i], len, k;
        unsigned long cp;
        if (c < 0x80)
            len = 1, cp = c;
        else if ((c & 0xE0) == 0xC0)
            len = 2, cp = c & 0x1F;
        else if ((c & 0xF0) == 0xE0)
            len = 3, cp = c & 0x0F;
        else if ((c & 0xF8) == 0xF0)
            len = 4, cp = c & 0x07;
        else
            return -1;
        if (n - i < len)
            return -1;
        for (k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return -1;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp == 0 || cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return -1;
        i += len;
        count++;
    }
    return count;
}

/* Meta trims subjects of ASCII white space. */
static inline int ref_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

#endif
