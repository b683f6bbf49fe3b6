/* UTF-8 checks for the text fields Meta limits in characters (code points). */
#ifndef WA_UTF8_H
#define WA_UTF8_H

#include <stddef.h>

/* Number of code points in s, or -1 when s is not valid UTF-8
 * (overlong forms, surrogates, values past U+10FFFF and NUL bytes are invalid). */
long wa_utf8_count(const char *s, size_t len);

/* Narrows [*s, *s + *len) to leave out leading and trailing ASCII white space. */
void wa_trim(const char **s, size_t *len);

#endif
