#include "lwa_webhook.h"

#include "lwa_error.h"
#include "wa_hmac.h"

/* Raises a validation error unless argument arg is a string; never quotes the value. */
static const char *lwa_webhook_string(lua_State *L, const lwa_context *cx, int arg,
                                      const char *name, size_t *len)
{
    if (lua_type(L, arg) != LUA_TSTRING) {
        const char *reason = lua_pushfstring(L, "string expected, got %s",
                                             luaL_typename(L, arg));
        lwa_raise_validation(L, cx, "argument", name, reason);
    }
    return lua_tolstring(L, arg, len);
}

/* webhook_verify(app_secret, raw_body, header_value) -> boolean */
static int lwa_webhook_verify(lua_State *L)
{
    lwa_context cx = {"webhook.verify_signature", NULL, NULL, NULL, 0, 0};
    const char *secret, *body, *header;
    size_t body_len, header_len;

    secret = lwa_webhook_string(L, &cx, 1, "app_secret", &cx.secret_len);
    cx.secret = secret;
    body = lwa_webhook_string(L, &cx, 2, "raw_body", &body_len);
    if (lua_type(L, 3) != LUA_TSTRING) {
        lua_pushboolean(L, 0);
        return 1;
    }
    header = lua_tolstring(L, 3, &header_len);
    lua_pushboolean(L, wa_hmac_sha256_verify(secret, cx.secret_len, body, body_len, header,
                                             header_len));
    return 1;
}

/* webhook_equal(secret, candidate) -> boolean; false unless both are strings. */
static int lwa_webhook_equal(lua_State *L)
{
    const char *a, *b;
    size_t a_len, b_len;

    if (lua_type(L, 1) != LUA_TSTRING || lua_type(L, 2) != LUA_TSTRING) {
        lua_pushboolean(L, 0);
        return 1;
    }
    a = lua_tolstring(L, 1, &a_len);
    b = lua_tolstring(L, 2, &b_len);
    lua_pushboolean(L, wa_secret_equal(a, a_len, b, b_len));
    return 1;
}

void lwa_webhook_open(lua_State *L)
{
    static const luaL_Reg funcs[] = {
        {"webhook_verify", lwa_webhook_verify},
        {"webhook_equal", lwa_webhook_equal},
        {NULL, NULL},
    };
    lwa_setfuncs(L, funcs, 0);
}
