#include "wa_ident.h"

#include <string.h>

static size_t wa_digits(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

int wa_check_phone_number_id(const char *s, size_t len, wa_verr *e)
{
    if (len == 0 || len > 32 || wa_digits(s, len) != len)
        return wa_verr_set(e, "phone_number_id", "must be 1 to 32 decimal digits");
    return 0;
}

int wa_check_version(const char *s, size_t len, wa_verr *e)
{
    size_t major, minor;

    if (len < 4 || len > 16 || s[0] != 'v')
        goto bad;
    major = wa_digits(s + 1, len - 1);
    if (major == 0 || 1 + major >= len || s[1 + major] != '.')
        goto bad;
    minor = wa_digits(s + 2 + major, len - 2 - major);
    if (minor == 0 || 2 + major + minor != len)
        goto bad;
    return 0;
bad:
    return wa_verr_set(e, "version", "must look like \"v24.0\"");
}

static int wa_is_b64token_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           strchr("-._~+/=", c) != NULL;
}

int wa_check_token(const char *s, size_t len, wa_verr *e)
{
    size_t i;

    if (len == 0 || len > 4096)
        return wa_verr_set(e, "token", "must be 1 to 4096 characters");
    for (i = 0; i < len; i++)
        if (s[i] == '\0' || !wa_is_b64token_char(s[i]))
            return wa_verr_set(e, "token", "must hold only letters, digits and -._~+/=");
    return 0;
}

int wa_check_header_text(const char *field, const char *s, size_t len, size_t max, wa_verr *e)
{
    size_t i;

    if (len == 0 || len > max)
        return wa_verr_set(e, field, "must be 1 to %zu characters", max);
    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            return wa_verr_set(e, field, "must be printable ASCII (no control characters)");
    return 0;
}
