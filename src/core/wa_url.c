#include "wa_url.h"

#include <string.h>
#include <strings.h>

static int wa_has_prefix_nocase(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && strncasecmp(s, prefix, n) == 0;
}

int wa_url_check_base(const char *s, size_t *len, wa_verr *e)
{
    size_t i, scheme;

    if (wa_has_prefix_nocase(s, *len, "https://"))
        scheme = 8;
    else if (wa_has_prefix_nocase(s, *len, "http://"))
        scheme = 7;
    else
        return wa_verr_set(e, "base_url", "must start with https:// or http://");
    if (*len > 512)
        return wa_verr_set(e, "base_url", "must be at most 512 characters");
    for (i = 0; i < *len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f || strchr("?#@\\", c) != NULL)
            return wa_verr_set(e, "base_url",
                               "must not contain spaces, control characters, '?', '#', '@' or '\\'");
    }
    while (*len > scheme && s[*len - 1] == '/')
        (*len)--;
    if (*len == scheme || s[scheme] == '/')
        return wa_verr_set(e, "base_url", "must name a host");
    return 0;
}

static int wa_is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

/* "." and ".." would be removed by URL normalisation, changing the path. */
static int wa_is_dot_segment(const char *seg, size_t len)
{
    return (len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.');
}

static int wa_url_keeps(unsigned char c, int encode_dots)
{
    return wa_is_unreserved(c) && !(encode_dots && c == '.');
}

/* Appends s with every byte outside the unreserved set percent-encoded (dots too when
 * encode_dots is set). Runs of bytes kept as they are go in one append: most segments
 * (ids, digits) are nothing else. */
static int wa_url_append_encoded(wa_buf *b, const char *s, size_t len, int encode_dots)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i = 0;

    while (i < len) {
        size_t run = i;
        unsigned char c;
        char esc[3];
        while (run < len && wa_url_keeps((unsigned char)s[run], encode_dots))
            run++;
        if (run > i && wa_buf_append(b, s + i, run - i) != 0)
            return -1;
        if (run == len)
            break;
        c = (unsigned char)s[run];
        esc[0] = '%';
        esc[1] = hex[c >> 4];
        esc[2] = hex[c & 15];
        if (wa_buf_append(b, esc, 3) != 0)
            return -1;
        i = run + 1;
    }
    return 0;
}

int wa_url_append_segment(wa_buf *b, const char *seg, size_t len)
{
    if (wa_buf_append(b, "/", 1) != 0)
        return -1;
    return wa_url_append_encoded(b, seg, len, wa_is_dot_segment(seg, len));
}

int wa_url_append_query(wa_buf *b, const char *name, const char *value, size_t len)
{
    if (wa_buf_append(b, strchr(b->data, '?') != NULL ? "&" : "?", 1) != 0 ||
        wa_buf_append_str(b, name) != 0 || wa_buf_append(b, "=", 1) != 0)
        return -1;
    return wa_url_append_encoded(b, value, len, 0);
}
