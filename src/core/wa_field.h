/* Argument fields of an operation and the rules Meta documents for them. */
#ifndef WA_FIELD_H
#define WA_FIELD_H

#include <stddef.h>

#include "wa_verr.h"

typedef enum wa_field_type {
    WA_FIELD_TEXT,     /* UTF-8 text limited in code points */
    WA_FIELD_CHOICE,   /* one of a fixed list of strings */
    WA_FIELD_INTEGER,  /* a whole number from min to max */
    WA_FIELD_CURSOR,   /* a paging cursor, passed back as Graph gave it */
    WA_FIELD_NAMES,    /* a list of names from choices, sent comma-separated */
    WA_FIELD_IDS,      /* a list of Graph ids */
    WA_FIELD_USERS,    /* a list of participants, sent as [{"user": ...}] */
    WA_FIELD_PICTURE,  /* JPEG bytes, or the path of a JPEG file */
    WA_FIELD_MEDIA     /* a file to upload: its path, or its bytes */
} wa_field_type;

#define WA_FIELD_REQUIRED 1u       /* must be given */
#define WA_FIELD_NONEMPTY 2u       /* TEXT: must not be empty when given */
#define WA_FIELD_TRIM 4u           /* TEXT: leading and trailing white space is not sent */
#define WA_FIELD_ALL_BY_DEFAULT 8u /* NAMES: absent means every choice */

typedef struct wa_field {
    const char *name;
    wa_field_type type;
    unsigned flags;
    long min, max;               /* TEXT: max code points; INTEGER: range; lists: items */
    const char *const *choices;  /* CHOICE, NAMES: NULL-terminated */
} wa_field;

/* Checks a string value (TEXT, CHOICE, CURSOR, or one item of a list). On success returns
 * 0 and narrows *value and *len to what must be sent (trimmed where the field says so). */
int wa_field_check_string(const wa_field *f, const char **value, size_t *len, wa_verr *e);
int wa_field_check_integer(const wa_field *f, double value, wa_verr *e);
/* The number of items of a list field. */
int wa_field_check_count(const wa_field *f, size_t n, wa_verr *e);

/* Checks a text of at most max_chars code points; required refuses empty text. Shared by
 * fields and the parts of a message. */
int wa_check_text(const char *field, const char *s, size_t len, long max_chars, int required,
                  wa_verr *e);

#endif
