#include "lwa_body.h"

#include "lwa_args.h"

#define LWA_MAX_FIELDS 16

static void lwa_body_known(const lwa_args *a, const wa_op *op)
{
    const char *names[LWA_MAX_FIELDS + 1];
    size_t n = 0;
    const wa_field *f;

    for (f = op->fields; f->name != NULL && n < LWA_MAX_FIELDS; f++)
        names[n++] = f->name;
    names[n] = NULL;
    lwa_args_known(a, names);
}

static void lwa_body_field(lua_State *L, const lwa_args *a, const wa_field *f)
{
    size_t len;
    const char *s = lwa_args_string(a, f->name, &len);
    wa_verr e;

    if (s == NULL) {
        if (f->flags & WA_FIELD_REQUIRED)
            lwa_args_fail(a, f->name, "string expected, got nil");
        return;
    }
    if (wa_field_check(f, &s, &len, &e) != 0)
        lwa_args_fail(a, e.field, e.reason);
    lua_pushlstring(L, s, len);
    lua_setfield(L, -2, f->name);
}

void lwa_body_push(lua_State *L, const wa_op *op, int arg, const lwa_context *cx)
{
    lwa_args a = lwa_args_table(L, arg, "field", cx);
    const wa_field *f;

    lwa_body_known(&a, op);
    lua_createtable(L, 0, 4);
    lua_pushliteral(L, "whatsapp");
    lua_setfield(L, -2, "messaging_product");
    for (f = op->fields; f->name != NULL; f++)
        lwa_body_field(L, &a, f);
}
