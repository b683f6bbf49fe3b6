#include "wa_field.h"

#include <string.h>

#include "wa_ident.h"
#include "wa_utf8.h"

int wa_check_text(const char *field, const char *s, size_t len, long max_chars, int required,
                  wa_verr *e)
{
    long chars = wa_utf8_count(s, len);

    if (chars < 0)
        return wa_verr_set(e, field, "must be valid UTF-8 text without NUL bytes");
    if (chars == 0 && required)
        return wa_verr_set(e, field, "must not be empty");
    if (chars > max_chars)
        return wa_verr_set(e, field, "must be at most %ld characters, got %ld", max_chars, chars);
    return 0;
}

static int wa_field_check_text(const wa_field *f, const char **value, size_t *len, wa_verr *e)
{
    int trim = (f->flags & WA_FIELD_TRIM) != 0;

    if (trim)
        wa_trim(value, len);
    if (trim && *len == 0 && (f->flags & WA_FIELD_NONEMPTY))
        return wa_verr_set(e, f->name, "must not be empty or only white space");
    return wa_check_text(f->name, *value, *len, f->max, (f->flags & WA_FIELD_NONEMPTY) != 0, e);
}

static int wa_field_check_choice(const wa_field *f, const char *value, size_t len, wa_verr *e)
{
    const char *const *c;
    char list[200] = "";

    for (c = f->choices; *c != NULL; c++)
        if (strlen(*c) == len && memcmp(*c, value, len) == 0)
            return 0;
    for (c = f->choices; *c != NULL; c++) {
        if (c != f->choices)
            strncat(list, c[1] == NULL ? " or " : ", ", sizeof list - strlen(list) - 1);
        strncat(list, *c, sizeof list - strlen(list) - 1);
    }
    return wa_verr_set(e, f->name, "must be %s", list);
}

int wa_field_check_string(const wa_field *f, const char **value, size_t *len, wa_verr *e)
{
    switch (f->type) {
    case WA_FIELD_TEXT:
        return wa_field_check_text(f, value, len, e);
    case WA_FIELD_CHOICE:
    case WA_FIELD_NAMES:
        return wa_field_check_choice(f, *value, *len, e);
    case WA_FIELD_CURSOR:
        return wa_check_cursor(f->name, *value, *len, e);
    case WA_FIELD_IDS:
        return wa_check_opaque_id(f->name, *value, *len, e);
    case WA_FIELD_USERS:
        return wa_check_participant(f->name, *value, *len, e);
    case WA_FIELD_INTEGER:
    case WA_FIELD_PICTURE:
    case WA_FIELD_MEDIA:
        break;
    }
    return wa_verr_set(e, f->name, "is not a string field");
}

int wa_field_check_integer(const wa_field *f, double value, wa_verr *e)
{
    /* The range test comes first: it also refuses NaN and makes the cast defined. */
    if (!(value >= (double)f->min && value <= (double)f->max) || (double)(long)value != value)
        return wa_verr_set(e, f->name, "must be a whole number from %ld to %ld", f->min, f->max);
    return 0;
}

int wa_field_check_count(const wa_field *f, size_t n, wa_verr *e)
{
    if (n < (size_t)f->min || n > (size_t)f->max) {
        if (f->min == f->max)
            return wa_verr_set(e, f->name, "must hold %ld items, got %zu", f->min, n);
        return wa_verr_set(e, f->name, "must hold %ld to %ld items, got %zu", f->min, f->max, n);
    }
    return 0;
}
