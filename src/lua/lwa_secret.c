#include "lwa_secret.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

lwa_secret *lwa_secret_new(const char *s, size_t len)
{
    lwa_secret *secret = malloc(sizeof *secret + len + 1);

    if (secret == NULL)
        return NULL;
    secret->refs = 1;
    secret->len = len;
    memcpy(secret->text, s, len);
    secret->text[len] = '\0';
    return secret;
}

lwa_secret *lwa_secret_retain(lwa_secret *secret)
{
    secret->refs++;
    return secret;
}

void lwa_secret_release(lwa_secret *secret)
{
    if (secret == NULL || --secret->refs > 0)
        return;
    OPENSSL_cleanse(secret->text, secret->len);
    free(secret);
}
