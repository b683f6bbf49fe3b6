#include "wa_hmac.h"

#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#define WA_SHA256_LEN 32

static int wa_hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes exactly 2 * n hex digits into out; -1 on a non-hex digit. The header is not
 * secret, so branching on its characters leaks nothing. */
static int wa_hex_decode(const char *hex, unsigned char *out, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        int hi = wa_hex_value(hex[2 * i]), lo = wa_hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

int wa_hmac_sha256_verify(const void *key, size_t key_len, const void *msg, size_t msg_len,
                          const char *header, size_t header_len)
{
    static const unsigned char empty = 0;
    const size_t prefix_len = sizeof WA_HMAC_PREFIX - 1;
    unsigned char expected[WA_SHA256_LEN], actual[EVP_MAX_MD_SIZE];
    unsigned int actual_len = 0;
    int same;

    if (key == NULL || key_len == 0 || key_len > INT_MAX || header == NULL ||
        header_len != prefix_len + WA_HMAC_HEX_LEN ||
        memcmp(header, WA_HMAC_PREFIX, prefix_len) != 0 ||
        wa_hex_decode(header + prefix_len, expected, sizeof expected) != 0)
        return 0;
    if (msg == NULL)
        msg = &empty; /* an empty body is still signed */
    if (HMAC(EVP_sha256(), key, (int)key_len, msg, msg_len, actual, &actual_len) == NULL ||
        actual_len != WA_SHA256_LEN)
        return 0;
    same = CRYPTO_memcmp(actual, expected, WA_SHA256_LEN) == 0;
    OPENSSL_cleanse(actual, sizeof actual);
    return same;
}

int wa_secret_equal(const void *a, size_t a_len, const void *b, size_t b_len)
{
    static const unsigned char empty = 0;
    unsigned char da[WA_SHA256_LEN], db[WA_SHA256_LEN];
    int same;

    if (SHA256(a != NULL ? a : &empty, a_len, da) == NULL ||
        SHA256(b != NULL ? b : &empty, b_len, db) == NULL)
        return 0;
    same = CRYPTO_memcmp(da, db, WA_SHA256_LEN) == 0;
    OPENSSL_cleanse(da, sizeof da);
    OPENSSL_cleanse(db, sizeof db);
    return same && a_len == b_len;
}
