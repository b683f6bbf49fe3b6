/* multipart/form-data bodies: whatever the parts hold, the boundary occurs in none of
 * them, and the body is the parts framed by it. */
#include "fuzz.h"
#include "wa_multipart.h"

static int contains(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle), i;
    for (i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"messaging_product", "subject", "description", "file"};
    fuzz_input in = {data, size};
    size_t nparts = 1 + fuzz_byte(&in) % 4, i, at;
    size_t limit = (fuzz_byte(&in) & 1) ? (size_t)1 << 20 : 64 + fuzz_byte(&in) * 8;
    wa_http_part parts[4];
    char boundary[WA_BOUNDARY_SIZE];
    wa_buf out;
    int rc;

    /* The input is cut into the parts at lengths it gives itself. */
    for (i = 0; i < nparts; i++) {
        size_t len = i + 1 < nparts ? fuzz_bits(&in, 2) : in.n;
        if (len > in.n)
            len = in.n;
        parts[i].name = names[i];
        parts[i].data = (const char *)in.p;
        parts[i].len = len;
        parts[i].filename = i == 3 ? "picture.jpg" : NULL;
        parts[i].type = i == 3 ? "image/jpeg" : NULL;
        in.p += len, in.n -= len;
    }
    wa_buf_init(&out, limit);
    rc = wa_multipart_encode(&out, boundary, parts, nparts);
    FUZZ_CHECK(strnlen(boundary, WA_BOUNDARY_SIZE) < WA_BOUNDARY_SIZE && boundary[0] != '\0',
               "a boundary is written");
    for (i = 0; i < nparts; i++)
        FUZZ_CHECK(!contains(parts[i].data, parts[i].len, boundary), "the boundary is in no part");
    if (rc != 0) {
        FUZZ_CHECK(out.len <= limit, "a body that does not fit fails within the limit");
        wa_buf_free(&out);
        return 0;
    }
    /* Each part's bytes follow its headers' blank line and end with CRLF--boundary. */
    at = 0;
    for (i = 0; i < nparts; i++) {
        const char *blank;
        FUZZ_CHECK(out.len - at > 2 + strlen(boundary) && memcmp(out.data + at, "--", 2) == 0 &&
                       memcmp(out.data + at + 2, boundary, strlen(boundary)) == 0,
                   "a part starts with --boundary");
        blank = strstr(out.data + at, "\r\n\r\n");
        FUZZ_CHECK(blank != NULL, "headers end with a blank line");
        at = (size_t)(blank - out.data) + 4;
        FUZZ_CHECK(out.len - at >= parts[i].len + 2 &&
                       memcmp(out.data + at, parts[i].data, parts[i].len) == 0 &&
                       memcmp(out.data + at + parts[i].len, "\r\n", 2) == 0,
                   "the part's bytes, then CRLF");
        at += parts[i].len + 2;
    }
    FUZZ_CHECK(out.len - at == strlen(boundary) + 6 && memcmp(out.data + at, "--", 2) == 0 &&
                   memcmp(out.data + out.len - 4, "--\r\n", 4) == 0,
               "the closing --boundary--");
    wa_buf_free(&out);
    return 0;
}
