/* The messages a group takes, written as data beside the operations' fields (wa_ops.c):
 * each type's object and the rules Meta documents for it (reference §2.1, §2.2). The
 * binding walks these tables; no message rule is code. */
#ifndef WA_MESSAGE_H
#define WA_MESSAGE_H

#include <stddef.h>

typedef enum wa_part_kind {
    WA_PART_TEXT,        /* UTF-8 text of at most max code points */
    WA_PART_BOOLEAN,
    WA_PART_TABLE,       /* passed on as given (a template's components) */
    WA_PART_OBJECT,      /* a table checked against parts */
    WA_PART_OPAQUE_ID,   /* an id Graph gave (message, media) */
    WA_PART_LINK,        /* an http:// or https:// URL */
    WA_PART_CHOICE,      /* one of choices */
    WA_PART_INTEGER,     /* a whole number from min to max */
    WA_PART_FORBIDDEN,   /* a known name this type refuses, for the reason given */
    WA_PART_ONE_OF       /* no value: exactly one of choices must be given */
} wa_part_kind;

#define WA_PART_REQUIRED 1u

typedef struct wa_part {
    const char *name;
    wa_part_kind kind;
    unsigned flags;
    long min, max;
    const char *const *choices;   /* CHOICE, ONE_OF: NULL-terminated */
    const struct wa_part *parts;  /* OBJECT: its parts, ending with a NULL name */
    const char *reason;           /* FORBIDDEN, ONE_OF, ONLY_IF: the words of the refusal */
    /* Allowed only while the sibling part `if_part` is `if_value`: then required (reason),
     * otherwise refused (unless_reason). NULL: no such rule. */
    const char *if_part, *if_value, *unless_reason;
} wa_part;

typedef struct wa_message_type {
    const char *name;
    const wa_part *parts;         /* the type's object, ending with a NULL name */
} wa_message_type;

/* The types, ending with a NULL name. */
extern const wa_message_type wa_message_types[];
/* The optional parts beside the type's object: context and biz_opaque_callback_data. */
extern const wa_part wa_message_extras[];

/* The type of that name, or NULL. */
const wa_message_type *wa_message_type_find(const char *name);

/* Writes "a, b, c<last>d" (last: " and ", " or ") into out; what does not fit is cut. */
void wa_join_names(char *out, size_t cap, const char *const *names, size_t n, const char *last);

#endif
