/* Growable byte buffer with a hard size limit (response bodies, URLs). */
#ifndef WA_BUF_H
#define WA_BUF_H

#include <stddef.h>

typedef struct wa_buf {
    char *data;   /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
    size_t limit; /* appends that would pass this fail */
} wa_buf;

void wa_buf_init(wa_buf *b, size_t limit);
/* 0 on success; -1 when the limit would be passed or memory ran out. */
int wa_buf_append(wa_buf *b, const void *p, size_t n);
int wa_buf_append_str(wa_buf *b, const char *s);
/* Appends the whole file at path; -1 when it cannot be read or passes the limit. */
int wa_buf_append_file(wa_buf *b, const char *path);
/* Empties the buffer; gives large blocks back so one huge answer does not pin memory. */
void wa_buf_reset(wa_buf *b);
void wa_buf_free(wa_buf *b);

#endif
