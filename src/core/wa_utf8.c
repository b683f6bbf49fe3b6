#include "wa_utf8.h"

/* Length of the sequence starting at p (0 when invalid), per RFC 3629 table 3. */
static size_t wa_utf8_seq(const unsigned char *p, size_t avail)
{
    unsigned char c = p[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t n, i;

    if (c == 0)
        return 0;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;     /* overlong */
        if (c == 0xED) hi = 0x9F;     /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;     /* overlong */
        if (c == 0xF4) hi = 0x8F;     /* past U+10FFFF */
    } else
        return 0;
    if (avail < n)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

long wa_utf8_count(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    long count = 0;
    size_t i = 0;

    while (i < len) {
        size_t n = wa_utf8_seq(p + i, len - i);
        if (n == 0)
            return -1;
        i += n;
        count++;
    }
    return count;
}

static int wa_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void wa_trim(const char **s, size_t *len)
{
    while (*len > 0 && wa_is_space(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && wa_is_space((*s)[*len - 1]))
        (*len)--;
}
