#include "wa_multipart.h"

#include <stdio.h>
#include <string.h>

static int wa_contains(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle), i;
    for (i = 0; m <= n && i <= n - m; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

/* A boundary found in no part: derived from the parts' sizes, changed until it fits. */
static void wa_pick_boundary(char boundary[WA_BOUNDARY_SIZE], const wa_http_part *parts, size_t n)
{
    unsigned long seed = 0, attempt = 0;
    size_t i;
    int clash;

    for (i = 0; i < n; i++)
        seed = seed * 31 + (unsigned long)parts[i].len;
    do {
        snprintf(boundary, WA_BOUNDARY_SIZE, "lua-whatsapp-groups-%016lx",
                 (seed + attempt++) * 2654435761UL);
        clash = 0;
        for (i = 0; i < n && !clash; i++)
            clash = wa_contains(parts[i].data, parts[i].len, boundary);
    } while (clash);
}

static int wa_multipart_part(wa_buf *out, const char *boundary, const wa_http_part *p)
{
    int bad = wa_buf_append_str(out, "--") || wa_buf_append_str(out, boundary) ||
              wa_buf_append_str(out, "\r\nContent-Disposition: form-data; name=\"") ||
              wa_buf_append_str(out, p->name) || wa_buf_append_str(out, "\"");
    if (!bad && p->filename != NULL)
        bad = wa_buf_append_str(out, "; filename=\"") || wa_buf_append_str(out, p->filename) ||
              wa_buf_append_str(out, "\"");
    if (!bad && p->type != NULL)
        bad = wa_buf_append_str(out, "\r\nContent-Type: ") || wa_buf_append_str(out, p->type);
    if (!bad)
        bad = wa_buf_append_str(out, "\r\n\r\n") || wa_buf_append(out, p->data, p->len) ||
              wa_buf_append_str(out, "\r\n");
    return bad ? -1 : 0;
}

int wa_multipart_encode(wa_buf *out, char boundary[WA_BOUNDARY_SIZE], const wa_http_part *parts,
                        size_t n)
{
    size_t i;

    wa_pick_boundary(boundary, parts, n);
    for (i = 0; i < n; i++)
        if (wa_multipart_part(out, boundary, &parts[i]) != 0)
            return -1;
    if (wa_buf_append_str(out, "--") || wa_buf_append_str(out, boundary) ||
        wa_buf_append_str(out, "--\r\n"))
        return -1;
    return 0;
}
