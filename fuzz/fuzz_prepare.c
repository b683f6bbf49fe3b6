/* Request encoding: random subjects and descriptions through client:create{...} and text
 * bodies through client:send, as a transport function gets them. Whether each must be
 * accepted is decided here, by ref_utf8.h; prepare_check.lua then checks that the call
 * agrees, and that an accepted request's JSON body decodes back to the trimmed subject,
 * the description and the text exactly. */
#include "fuzz.h"
#include "lua_host.h"
#include "ref_utf8.h"

/* Meta's rules, written again: valid UTF-8 without NUL, of at most max code points,
 * not empty where required. */
static int valid_text(const uint8_t *s, size_t n, long max, int required)
{
    long chars = ref_utf8_count(s, n);
    return chars >= 0 && chars <= max && (chars > 0 || !required);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lua_State *L = lua_host_state("prepare_check.lua");
    fuzz_input in = {data, size};
    size_t desc_len = fuzz_byte(&in), start, len;
    const uint8_t *desc, *subject;
    int has_desc = desc_len != 0xFF;

    /* The first byte is the description's length (0xFF: none); the rest is the subject. */
    if (!has_desc || desc_len > in.n)
        desc_len = 0;
    desc = in.p;
    subject = in.p + desc_len;
    len = in.n - desc_len;
    for (start = 0; start < len && ref_is_space((char)subject[start]); start++)
        ;
    while (len > start && ref_is_space((char)subject[len - 1]))
        len--;

    lua_host_push_check(L);
    lua_pushlstring(L, (const char *)subject, in.n - desc_len);
    if (has_desc)
        lua_pushlstring(L, (const char *)desc, desc_len);
    else
        lua_pushnil(L);
    if (valid_text(subject + start, len - start, 128, 1) &&
        (!has_desc || valid_text(desc, desc_len, 2048, 0)))
        lua_pushlstring(L, (const char *)subject + start, len - start);
    else
        lua_pushnil(L); /* must be refused */
    lua_pushboolean(L, valid_text(subject, in.n - desc_len, 4096, 1));
    lua_host_call(L, 4);
    return 0;
}
