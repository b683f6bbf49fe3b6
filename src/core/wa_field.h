/* Body fields of an operation and the rules Meta documents for them. */
#ifndef WA_FIELD_H
#define WA_FIELD_H

#include <stddef.h>

#include "wa_verr.h"

typedef enum wa_field_type {
    WA_FIELD_TEXT,   /* UTF-8 string limited in code points */
    WA_FIELD_CHOICE  /* one of a fixed list of strings */
} wa_field_type;

#define WA_FIELD_REQUIRED 1u
#define WA_FIELD_TRIM 2u /* leading and trailing white space is not sent */

typedef struct wa_field {
    const char *name;
    wa_field_type type;
    unsigned flags;
    long max_chars;              /* TEXT: limit in code points */
    const char *const *choices;  /* CHOICE: NULL-terminated */
} wa_field;

/* Checks one string value against its field's rules. On success returns 0 and narrows
 * *value and *len to what must be sent (trimmed where the field says so). */
int wa_field_check(const wa_field *f, const char **value, size_t *len, wa_verr *e);

/* The field of a NULL-name-terminated list with this name, or NULL. */
const wa_field *wa_field_find(const wa_field *fields, const char *name);

#endif
