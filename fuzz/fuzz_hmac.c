/* The webhook signature check. Random key, body and header: it says yes exactly when the
 * header is "sha256=" and the hex (any case) of the HMAC computed here; a correct header
 * verifies, and any change of one byte (other than the case of a hex letter) does not. */
#include <ctype.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "fuzz.h"
#include "wa_hmac.h"

#define PREFIX_LEN (sizeof WA_HMAC_PREFIX - 1)
#define HEADER_LEN (PREFIX_LEN + WA_HMAC_HEX_LEN)

static void hex_header(const unsigned char *digest, char out[HEADER_LEN + 1], int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    size_t i;

    memcpy(out, WA_HMAC_PREFIX, PREFIX_LEN);
    for (i = 0; i < 32; i++) {
        out[PREFIX_LEN + 2 * i] = digits[digest[i] >> 4];
        out[PREFIX_LEN + 2 * i + 1] = digits[digest[i] & 15];
    }
    out[HEADER_LEN] = '\0';
}

/* Whether the header is the expected one, hex letters in any case. */
static int matches(const char *header, size_t len, const char *expected)
{
    size_t i;

    if (len != HEADER_LEN || memcmp(header, expected, PREFIX_LEN) != 0)
        return 0;
    for (i = PREFIX_LEN; i < HEADER_LEN; i++)
        if (tolower((unsigned char)header[i]) != expected[i])
            return 0;
    return 1;
}

static int is_hex(char c)
{
    return c != '\0' && strchr("0123456789abcdefABCDEF", c) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    size_t key_len = fuzz_byte(&in) % 48, header_len = fuzz_byte(&in) % 96, pos, body_len;
    unsigned delta = fuzz_byte(&in), upper = fuzz_byte(&in) & 1;
    const uint8_t *key, *header;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned digest_len = 0;
    char good[HEADER_LEN + 1], changed[HEADER_LEN + 1];

    if (key_len > in.n)
        key_len = in.n;
    key = in.p;
    in.p += key_len, in.n -= key_len;
    if (header_len > in.n)
        header_len = in.n;
    header = in.p;
    in.p += header_len, in.n -= header_len;
    body_len = in.n;

    if (key_len == 0) { /* an empty secret never verifies anything */
        FUZZ_CHECK(!wa_hmac_sha256_verify(key, 0, in.p, body_len, (const char *)header,
                                          header_len), "empty key refused");
        return 0;
    }
    FUZZ_CHECK(HMAC(EVP_sha256(), key, (int)key_len, in.p, body_len, digest, &digest_len) != NULL,
               "HMAC computed");
    hex_header(digest, good, 0);
    FUZZ_CHECK(wa_hmac_sha256_verify(key, key_len, in.p, body_len, (const char *)header,
                                     header_len) == matches((const char *)header, header_len, good),
               "verifies exactly the right header");

    hex_header(digest, changed, (int)upper);
    FUZZ_CHECK(wa_hmac_sha256_verify(key, key_len, in.p, body_len, changed, HEADER_LEN),
               "the correct header verifies, in either case");
    pos = ((size_t)delta * 7 + header_len) % HEADER_LEN;
    changed[pos] = (char)(changed[pos] ^ (delta ? delta : 1));
    if (!(pos >= PREFIX_LEN && is_hex(changed[pos]) &&
          tolower((unsigned char)changed[pos]) == good[pos]))
        FUZZ_CHECK(!wa_hmac_sha256_verify(key, key_len, in.p, body_len, changed, HEADER_LEN),
                   "one changed byte fails");
    FUZZ_CHECK(!wa_hmac_sha256_verify(key, key_len, in.p, body_len, good, HEADER_LEN - 1),
               "a cut header fails");
    return 0;
}
