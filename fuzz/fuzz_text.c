/* Text and identifier checks: wa_utf8_count against the reference decoder of ref_utf8.h,
 * wa_trim's span, every string field of every operation, and the identifier checks, whose
 * acceptance must imply that the value is harmless in a URL or header. */
#include "fuzz.h"
#include "ref_utf8.h"
#include "wa_field.h"
#include "wa_ident.h"
#include "wa_ops.h"
#include "wa_utf8.h"

static int all_bytes(const char *s, size_t n, int (*ok)(unsigned char))
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!ok((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Whether every byte of s is in set (a NUL never is). */
static int only(const char *s, size_t n, const char *set)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] == '\0' || strchr(set, s[i]) == NULL)
            return 0;
    return 1;
}

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Safe in a path segment even before encoding: no '/', '?', '#', '%', space or control. */
static int is_graph_id_char(unsigned char c)
{
    return is_alnum(c) || (c != 0 && strchr("-._~=+", c) != NULL);
}

static int is_opaque_char(unsigned char c)
{
    return is_graph_id_char(c) || c == '/';
}

static int is_header_char(unsigned char c)
{
    return c >= 0x20 && c < 0x7F;
}

static int is_cursor_char(unsigned char c)
{
    return c > 0x20 && c < 0x7F;
}

static int is_participant_char(unsigned char c)
{
    return is_alnum(c) || c == '+' || c == '.';
}

static int is_token_char(unsigned char c)
{
    return is_alnum(c) || (c != 0 && strchr("-._~+/=", c) != NULL);
}

/* A reason is short printable ASCII: it never echoes raw bytes of the value. */
static void check_reason(const wa_verr *e)
{
    size_t n = strnlen(e->reason, sizeof e->reason);
    FUZZ_CHECK(n > 0 && n < sizeof e->reason, "reason is a non-empty C string");
    FUZZ_CHECK(all_bytes(e->reason, n, is_header_char), "reason is printable ASCII");
}

static void check_utf8_and_trim(const char *s, size_t n)
{
    const char *t = s;
    size_t len = n, i;

    FUZZ_CHECK(wa_utf8_count(s, n) == ref_utf8_count((const uint8_t *)s, n),
               "wa_utf8_count agrees with the reference decoder");
    wa_trim(&t, &len);
    FUZZ_CHECK(t >= s && t + len <= s + n, "the trimmed span is inside the input");
    FUZZ_CHECK(len == 0 || (!ref_is_space(t[0]) && !ref_is_space(t[len - 1])),
               "the trimmed span has no white space at its ends");
    for (i = 0; s + i < t; i++)
        FUZZ_CHECK(ref_is_space(s[i]), "only white space is cut at the start");
    for (i = (size_t)(t - s) + len; i < n; i++)
        FUZZ_CHECK(ref_is_space(s[i]), "only white space is cut at the end");
}

static void check_string_field(const wa_field *f, const char *s, size_t n)
{
    const char *v = s;
    size_t len = n;
    wa_verr e;
    long chars;

    if (wa_field_check_string(f, &v, &len, &e) != 0) {
        check_reason(&e);
        FUZZ_CHECK(e.field != NULL && strcmp(e.field, f->name) == 0, "error names the field");
        return;
    }
    FUZZ_CHECK(v >= s && v + len <= s + n, "the accepted value is inside the input");
    switch (f->type) {
    case WA_FIELD_TEXT:
        chars = ref_utf8_count((const uint8_t *)v, len);
        FUZZ_CHECK(chars >= 0 && chars <= f->max, "text is valid UTF-8 within its limit");
        FUZZ_CHECK(!(f->flags & WA_FIELD_NONEMPTY) || chars > 0, "required text is not empty");
        if (f->flags & WA_FIELD_TRIM)
            FUZZ_CHECK(len == 0 || (!ref_is_space(v[0]) && !ref_is_space(v[len - 1])),
                       "text is trimmed");
        break;
    case WA_FIELD_CHOICE:
    case WA_FIELD_NAMES: {
        const char *const *c;
        int found = 0;
        for (c = f->choices; *c != NULL; c++)
            found |= strlen(*c) == len && memcmp(*c, v, len) == 0;
        FUZZ_CHECK(found, "a choice is one of the list");
        break;
    }
    case WA_FIELD_CURSOR:
        FUZZ_CHECK(len > 0 && all_bytes(v, len, is_cursor_char), "a cursor is printable");
        break;
    case WA_FIELD_IDS:
        FUZZ_CHECK(len > 0 && all_bytes(v, len, is_opaque_char), "an id has id characters");
        break;
    case WA_FIELD_USERS:
        FUZZ_CHECK(len > 0 && all_bytes(v, len, is_participant_char), "a participant is plain");
        break;
    case WA_FIELD_INTEGER:
    case WA_FIELD_PICTURE:
    case WA_FIELD_MEDIA:
        FUZZ_CHECK(0, "non-string fields refuse strings");
    }
}

static int is_string_field(const wa_field *f)
{
    return f->type != WA_FIELD_INTEGER && f->type != WA_FIELD_PICTURE &&
           f->type != WA_FIELD_MEDIA;
}

static void check_fields(const char *s, size_t n, double number)
{
    int id;

    FUZZ_CHECK(wa_op_get(WA_OP_COUNT) == NULL && wa_op_get((wa_op_id)-1) == NULL,
               "wa_op_get refuses ids out of range");
    for (id = 0; id < WA_OP_COUNT; id++) {
        const wa_field *f;
        for (f = wa_op_get((wa_op_id)id)->fields; f->name != NULL; f++) {
            wa_verr e;
            if (is_string_field(f)) {
                check_string_field(f, s, n);
                continue;
            }
            if (f->type != WA_FIELD_INTEGER)
                continue;
            if (wa_field_check_integer(f, number, &e) == 0)
                FUZZ_CHECK(number >= f->min && number <= f->max && number == (double)(long)number,
                           "an accepted integer is whole and in range");
            else
                check_reason(&e);
        }
    }
}

/* Each identifier check: on refusal a clean reason; on acceptance only safe bytes. */
static void check_idents(const char *s, size_t n)
{
    wa_verr e;
    int dots = n > 0 && n <= 2 && only(s, n, ".");

    if (wa_check_graph_id("id", s, n, &e) == 0)
        FUZZ_CHECK(n > 0 && n <= 1024 && all_bytes(s, n, is_graph_id_char) && !dots,
                   "a Graph id: no '/', '?', '#', '%', space or control byte, not a dot step");
    else
        check_reason(&e);
    if (wa_check_opaque_id("id", s, n, &e) == 0)
        FUZZ_CHECK(n > 0 && all_bytes(s, n, is_opaque_char), "an opaque id is plain");
    else
        check_reason(&e);
    if (wa_check_token(s, n, &e) == 0)
        FUZZ_CHECK(n > 0 && all_bytes(s, n, is_token_char), "a token cannot break its header");
    else
        check_reason(&e);
    if (wa_check_header_text("ua", s, n, 256, &e) == 0)
        FUZZ_CHECK(n > 0 && n <= 256 && all_bytes(s, n, is_header_char),
                   "header text is printable");
    else
        check_reason(&e);
    if (wa_check_cursor("after", s, n, &e) == 0)
        FUZZ_CHECK(all_bytes(s, n, is_cursor_char), "a cursor has no space or control byte");
    else
        check_reason(&e);
    if (wa_check_participant("p", s, n, &e) == 0)
        FUZZ_CHECK(n >= 4 && all_bytes(s, n, is_participant_char), "a participant is plain");
    else
        check_reason(&e);
    if (wa_check_phone_number_id(s, n, &e) == 0)
        FUZZ_CHECK(n > 0 && only(s, n, "0123456789"), "a phone number id is digits");
    else
        check_reason(&e);
    if (wa_check_version(s, n, &e) == 0)
        FUZZ_CHECK(n >= 4 && s[0] == 'v' && only(s + 1, n - 1, "0123456789."),
                   "a version is v, digits, a dot, digits");
    else
        check_reason(&e);
    if (wa_check_link("link", s, n, &e) == 0)
        FUZZ_CHECK(all_bytes(s, n, is_cursor_char), "a link has no space or control byte");
    else
        check_reason(&e);
}

/* libFuzzer hands over a buffer of exactly size bytes: ASan sees any read past its end. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    double number = 0;

    if (size >= sizeof number)
        memcpy(&number, data, sizeof number);
    check_utf8_and_trim(s, size);
    check_fields(s, size, number);
    check_idents(s, size);
    return 0;
}
