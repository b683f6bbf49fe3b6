#include "wa_field.h"

#include <string.h>

#include "wa_utf8.h"

static int wa_field_check_text(const wa_field *f, const char **value, size_t *len, wa_verr *e)
{
    long chars;

    if (f->flags & WA_FIELD_TRIM)
        wa_trim(value, len);
    chars = wa_utf8_count(*value, *len);
    if (chars < 0)
        return wa_verr_set(e, f->name, "must be valid UTF-8 text without NUL bytes");
    if (chars == 0 && (f->flags & WA_FIELD_REQUIRED))
        return wa_verr_set(e, f->name, (f->flags & WA_FIELD_TRIM)
                                           ? "must not be empty or only white space"
                                           : "must not be empty");
    if (chars > f->max_chars)
        return wa_verr_set(e, f->name, "must be at most %ld characters, got %ld",
                           f->max_chars, chars);
    return 0;
}

static int wa_field_check_choice(const wa_field *f, const char *value, size_t len, wa_verr *e)
{
    const char *const *c;
    char list[96] = "";

    for (c = f->choices; *c != NULL; c++)
        if (strlen(*c) == len && memcmp(*c, value, len) == 0)
            return 0;
    for (c = f->choices; *c != NULL; c++) {
        if (c != f->choices)
            strncat(list, " or ", sizeof list - strlen(list) - 1);
        strncat(list, *c, sizeof list - strlen(list) - 1);
    }
    return wa_verr_set(e, f->name, "must be %s", list);
}

int wa_field_check(const wa_field *f, const char **value, size_t *len, wa_verr *e)
{
    switch (f->type) {
    case WA_FIELD_TEXT:
        return wa_field_check_text(f, value, len, e);
    case WA_FIELD_CHOICE:
        return wa_field_check_choice(f, *value, *len, e);
    }
    return wa_verr_set(e, f->name, "has an unknown type");
}

const wa_field *wa_field_find(const wa_field *fields, const char *name)
{
    for (; fields->name != NULL; fields++)
        if (strcmp(fields->name, name) == 0)
            return fields;
    return NULL;
}
