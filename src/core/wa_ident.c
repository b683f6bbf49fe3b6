#include "wa_ident.h"

#include <string.h>
#include <strings.h>

static size_t wa_digits(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

static int wa_is_alnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Whether every byte of s is alphanumeric or one of extra. */
static int wa_all_of(const char *s, size_t len, const char *extra)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (s[i] == '\0' || (!wa_is_alnum(s[i]) && strchr(extra, s[i]) == NULL))
            return 0;
    return 1;
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

int wa_check_token(const char *s, size_t len, wa_verr *e)
{
    /* Every string an error carries has the token cut out: a short one would also match
     * ordinary words ("e" in "Failed"), mangling the message while hiding nothing. */
    if (len < WA_TOKEN_MIN || len > 4096)
        return wa_verr_set(e, "token", "must be %d to 4096 characters (shorter ones cannot be "
                           "redacted from errors without mangling them)", WA_TOKEN_MIN);
    if (!wa_all_of(s, len, "-._~+/="))
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

/* "." and ".." would be read as path steps, whatever the encoding. */
static int wa_only_dots(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (s[i] != '.')
            return 0;
    return 1;
}

int wa_check_graph_id(const char *field, const char *s, size_t len, wa_verr *e)
{
    if (len == 0 || len > 1024)
        return wa_verr_set(e, field, "must be an id of 1 to 1024 characters");
    if (!wa_all_of(s, len, "-._~=+") || wa_only_dots(s, len))
        return wa_verr_set(e, field, "must be a Graph id (letters, digits and -._~=+)");
    return 0;
}

int wa_check_opaque_id(const char *field, const char *s, size_t len, wa_verr *e)
{
    if (len == 0 || len > 1024)
        return wa_verr_set(e, field, "must be an id of 1 to 1024 characters");
    if (!wa_all_of(s, len, "-._~=+/"))
        return wa_verr_set(e, field, "must be an id (letters, digits and -._~=+/)");
    return 0;
}

/* "US.1349...": two capital letters, a dot, then letters, digits and dots. */
static int wa_is_bsuid(const char *s, size_t len)
{
    return len >= 4 && len <= 256 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
           s[1] <= 'Z' && s[2] == '.' && wa_all_of(s + 3, len - 3, ".");
}

int wa_check_participant(const char *field, const char *s, size_t len, wa_verr *e)
{
    size_t plus = len > 0 && s[0] == '+';
    size_t digits = wa_digits(s + plus, len - plus);

    if ((digits == len - plus && digits >= 5 && digits <= 20) || (!plus && wa_is_bsuid(s, len)))
        return 0;
    return wa_verr_set(e, field, "must be a phone number (+16505551234), a WhatsApp id "
                                 "or a business-scoped user id (US.1349...)");
}

/* Whether every byte is printable ASCII other than the space. */
static int wa_is_graphic(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] > 0x7e)
            return 0;
    return 1;
}

/* The length of the scheme prefix of s ("https://") among schemes (any case), or 0 when
 * s starts with none of them or is nothing more. */
static size_t wa_scheme_len(const char *s, size_t len, const char *const *schemes)
{
    for (; *schemes != NULL; schemes++) {
        size_t n = strlen(*schemes);
        if (len > n && strncasecmp(s, *schemes, n) == 0)
            return n;
    }
    return 0;
}

int wa_check_cursor(const char *field, const char *s, size_t len, wa_verr *e)
{
    if (len == 0 || len > 4096)
        return wa_verr_set(e, field, "must be a cursor of 1 to 4096 characters");
    if (!wa_is_graphic(s, len))
        return wa_verr_set(e, field, "must be a cursor as Graph gave it (printable, no spaces)");
    return 0;
}

int wa_check_link(const char *field, const char *s, size_t len, wa_verr *e)
{
    static const char *const schemes[] = {"https://", "http://", NULL};

    if (wa_scheme_len(s, len, schemes) == 0)
        return wa_verr_set(e, field, "must be an http:// or https:// URL");
    if (len > 2048)
        return wa_verr_set(e, field, "must be at most 2048 characters");
    if (!wa_is_graphic(s, len))
        return wa_verr_set(e, field, "must be printable ASCII without spaces");
    return 0;
}

int wa_check_proxy(const char *s, size_t len, wa_verr *e)
{
    static const char *const schemes[] = {"http://", "https://", "socks4://", "socks4a://",
                                          "socks5://", "socks5h://", NULL};
    size_t n = wa_scheme_len(s, len, schemes);

    if (n == 0)
        return wa_verr_set(e, "proxy", "must be a URL such as http://host:3128 "
                                       "(http, https, socks4, socks4a, socks5 or socks5h)");
    if (len > 2048)
        return wa_verr_set(e, "proxy", "must be at most 2048 characters");
    if (!wa_is_graphic(s, len))
        return wa_verr_set(e, "proxy", "must be printable ASCII without spaces");
    if (s[n] == '/' || s[n] == ':' || s[n] == '@')
        return wa_verr_set(e, "proxy", "must name a host");
    return 0;
}
