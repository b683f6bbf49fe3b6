/* URL building: a segment or query value comes out as unreserved characters and %XX only,
 * percent-decodes back to the input, and can never add a path level, a query or a
 * fragment. Also the base URL check: what it accepts has no user info, query or fragment. */
#include <strings.h>

#include "fuzz.h"
#include "wa_url.h"

static int is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1; /* we write upper case only */
}

/* Checks that enc (len bytes) is unreserved characters and %XX, and decodes to want. */
static void check_encoded(const char *enc, size_t len, const uint8_t *want, size_t want_len)
{
    size_t i = 0, out = 0;

    while (i < len) {
        unsigned char c = (unsigned char)enc[i];
        unsigned char got;
        if (c == '%') {
            FUZZ_CHECK(i + 2 < len && hex_value(enc[i + 1]) >= 0 && hex_value(enc[i + 2]) >= 0,
                       "%XX with two upper-case hex digits");
            got = (unsigned char)(hex_value(enc[i + 1]) << 4 | hex_value(enc[i + 2]));
            i += 3;
        } else {
            FUZZ_CHECK(is_unreserved(c), "only unreserved characters are left as they are");
            got = c;
            i++;
        }
        FUZZ_CHECK(out < want_len && got == want[out], "decodes back to the input");
        out++;
    }
    FUZZ_CHECK(out == want_len, "decodes to the whole input");
}

static void check_segment(const uint8_t *p, size_t n, size_t limit)
{
    static const char base[] = "https://graph.example/v24.0";
    wa_buf b;
    const char *seg;
    size_t seg_len;

    wa_buf_init(&b, limit);
    if (wa_buf_append_str(&b, base) != 0 || wa_url_append_segment(&b, (const char *)p, n) != 0) {
        FUZZ_CHECK(b.len <= limit, "a failed append stays within the limit");
        wa_buf_free(&b);
        return;
    }
    FUZZ_CHECK(b.len > sizeof base - 1 && b.data[sizeof base - 1] == '/', "one '/' is added");
    seg = b.data + sizeof base;
    seg_len = b.len - sizeof base;
    FUZZ_CHECK(memchr(seg, '/', seg_len) == NULL && memchr(seg, '?', seg_len) == NULL &&
                   memchr(seg, '#', seg_len) == NULL,
               "no '/', '?' or '#' from the segment");
    FUZZ_CHECK(!(seg_len == 1 && seg[0] == '.') && !(seg_len == 2 && memcmp(seg, "..", 2) == 0),
               "the segment is never a dot step");
    FUZZ_CHECK(strlen(b.data) == b.len, "no NUL in the URL");
    check_encoded(seg, seg_len, p, n);
    wa_buf_free(&b);
}

static void check_query(const uint8_t *p, size_t n, size_t limit, int second)
{
    const char *base = second ? "https://g.example/v1/x?limit=5" : "https://g.example/v1/x";
    size_t base_len = strlen(base), name_len = strlen("after");
    wa_buf b;
    const char *value;

    wa_buf_init(&b, limit);
    if (wa_buf_append_str(&b, base) != 0 || wa_url_append_query(&b, "after", (const char *)p, n)) {
        FUZZ_CHECK(b.len <= limit, "a failed append stays within the limit");
        wa_buf_free(&b);
        return;
    }
    FUZZ_CHECK(b.data[base_len] == (second ? '&' : '?'), "'?' first, '&' after");
    FUZZ_CHECK(memcmp(b.data + base_len + 1, "after=", name_len + 1) == 0, "name=");
    value = b.data + base_len + 1 + name_len + 1;
    FUZZ_CHECK(strchr(value, '&') == NULL && strchr(value, '#') == NULL &&
                   strchr(value, '=') == NULL,
               "the value cannot add a parameter or a fragment");
    check_encoded(value, b.len - (size_t)(value - b.data), p, n);
    wa_buf_free(&b);
}

static void check_base(const uint8_t *p, size_t n)
{
    const char *s = (const char *)p;
    size_t len = n, i, scheme;
    wa_verr e;

    if (wa_url_check_base(s, &len, &e) != 0) {
        FUZZ_CHECK(e.field != NULL && strcmp(e.field, "base_url") == 0, "names base_url");
        return;
    }
    FUZZ_CHECK(len <= n && len <= 512, "the accepted span is inside the input");
    scheme = strncasecmp(s, "https://", 8) == 0 ? 8 : 7;
    FUZZ_CHECK(scheme == 8 || strncasecmp(s, "http://", 7) == 0, "http or https");
    FUZZ_CHECK(len > scheme && s[scheme] != '/' && s[len - 1] != '/', "a host, no trailing '/'");
    for (i = 0; i < len; i++)
        FUZZ_CHECK(p[i] > 0x20 && p[i] < 0x7f && strchr("?#@\\", p[i]) == NULL,
                   "no space, control byte, '?', '#', '@' or '\\'");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    unsigned mode = fuzz_byte(&in);
    /* Mostly room enough; sometimes a limit the URL runs into. */
    size_t limit = (mode & 0x80) ? 32 + fuzz_byte(&in) * 4 : (size_t)1 << 20;

    check_segment(in.p, in.n, limit);
    check_query(in.p, in.n, limit, (mode & 1) != 0);
    check_base(in.p, in.n);
    return 0;
}
