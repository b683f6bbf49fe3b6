#include "wa_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Capacity kept across resets; bigger blocks are freed. */
#define WA_BUF_KEEP 65536

void wa_buf_init(wa_buf *b, size_t limit)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->limit = limit;
}

static int wa_buf_grow(wa_buf *b, size_t need)
{
    size_t cap = b->cap ? b->cap : 256;
    char *p;
    while (cap < need)
        cap *= 2;
    p = realloc(b->data, cap);
    if (p == NULL)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int wa_buf_append(wa_buf *b, const void *p, size_t n)
{
    if (n > b->limit || b->len > b->limit - n)
        return -1;
    if (b->len + n + 1 > b->cap && wa_buf_grow(b, b->len + n + 1) != 0)
        return -1;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int wa_buf_append_str(wa_buf *b, const char *s)
{
    return wa_buf_append(b, s, strlen(s));
}

int wa_buf_append_file(wa_buf *b, const char *path)
{
    char chunk[8192];
    size_t n;
    int bad = 0;
    FILE *f = fopen(path, "rb");

    if (f == NULL)
        return -1;
    while (!bad && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        bad = wa_buf_append(b, chunk, n);
    bad = bad || ferror(f);
    fclose(f);
    return bad ? -1 : 0;
}

void wa_buf_reset(wa_buf *b)
{
    if (b->cap > WA_BUF_KEEP) {
        free(b->data);
        b->data = NULL;
        b->cap = 0;
    }
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

void wa_buf_free(wa_buf *b)
{
    free(b->data);
    wa_buf_init(b, b->limit);
}
