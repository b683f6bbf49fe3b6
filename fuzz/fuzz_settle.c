/* Interpreting answers: random status, Retry-After, usage header and body (or a carrier's
 * failure) given by a transport function to every method, through the one call path:
 * settle and the reshaping. A call returns a result only for a 2xx and otherwise our
 * error object, with the token never in it; never a raw Lua error, never undefined
 * behaviour (UBSan) on odd numbers in a body. The checks are in settle_check.lua. */
#include "fuzz.h"
#include "lua_host.h"

/* Takes a piece of at most max bytes, its length given by the input itself. */
static void push_piece(lua_State *L, fuzz_input *in, unsigned max)
{
    size_t n = fuzz_byte(in) % (max + 1);
    if (n > in->n)
        n = in->n;
    lua_pushlstring(L, (const char *)in->p, n);
    in->p += n, in->n -= n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lua_State *L = lua_host_state("settle_check.lua");
    fuzz_input in = {data, size};
    unsigned op = fuzz_byte(&in), how = fuzz_byte(&in);
    long status = 100 + (long)(fuzz_bits(&in, 2) % 500);

    lua_host_push_check(L);
    lua_pushinteger(L, op);
    if (how % 8 == 0) /* a carrier's failure: message, then how it failed */
        lua_pushnil(L);
    else
        lua_pushinteger(L, how % 8 == 1 ? (lua_Integer)(int16_t)fuzz_bits(&in, 2) : status);
    push_piece(L, &in, 24);  /* Retry-After, or the failure message */
    push_piece(L, &in, 255); /* X-Business-Use-Case-Usage, or how it failed */
    lua_pushlstring(L, (const char *)in.p, in.n);
    lua_host_call(L, 5);
    return 0;
}
