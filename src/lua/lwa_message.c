#include "lwa_message.h"

#include <string.h>

#include "lwa_args.h"
#include "wa_field.h"
#include "wa_ident.h"
#include "wa_message.h"

/* The string at key, or NULL when absent (raising when it is required). */
static const char *lwa_message_string(const lwa_args *a, const char *key, int required,
                                      size_t *len)
{
    const char *s = lwa_args_string(a, key, len);
    if (s == NULL && required)
        lwa_args_fail(a, key, "string expected, got nil");
    return s;
}

/* A string part that must pass a core check. */
static void lwa_message_ident(const lwa_args *a, const wa_part *p,
                              int (*check)(const char *, const char *, size_t, wa_verr *))
{
    size_t len;
    const char *s = lwa_message_string(a, p->name, (p->flags & WA_PART_REQUIRED) != 0, &len);
    wa_verr e;

    if (s != NULL && check(p->name, s, len, &e) != 0)
        lwa_args_fail(a, p->name, e.reason);
}

static void lwa_message_text(const lwa_args *a, const wa_part *p)
{
    size_t len;
    const char *s = lwa_message_string(a, p->name, (p->flags & WA_PART_REQUIRED) != 0, &len);
    wa_verr e;

    if (s != NULL && wa_check_text(p->name, s, len, p->max, 1, &e) != 0)
        lwa_args_fail(a, p->name, e.reason);
}

static void lwa_message_choice(const lwa_args *a, const wa_part *p)
{
    const wa_field f = {p->name, WA_FIELD_CHOICE, 0, 0, 0, p->choices};
    size_t len;
    const char *s = lwa_message_string(a, p->name, (p->flags & WA_PART_REQUIRED) != 0, &len);
    wa_verr e;

    if (s != NULL && wa_field_check_string(&f, &s, &len, &e) != 0)
        lwa_args_fail(a, p->name, e.reason);
}

static void lwa_message_integer(lua_State *L, const lwa_args *a, const wa_part *p)
{
    const wa_field f = {p->name, WA_FIELD_INTEGER, 0, p->min, p->max, NULL};
    wa_verr e;

    if (!lwa_args_push(a, p->name, LUA_TNUMBER))
        return;
    if (wa_field_check_integer(&f, lua_tonumber(L, -1), &e) != 0)
        lwa_args_fail(a, p->name, e.reason);
    lua_pop(L, 1);
}

/* Whether the table behind a has key (raw). */
static int lwa_message_has(lua_State *L, const lwa_args *a, const char *key)
{
    int has;
    lua_pushstring(L, key);
    lua_rawget(L, a->index);
    has = !lua_isnil(L, -1);
    lua_pop(L, 1);
    return has;
}

static void lwa_message_one_of(lua_State *L, const lwa_args *a, const wa_part *p)
{
    const char *const *c;
    int given = 0;

    for (c = p->choices; *c != NULL; c++)
        given += lwa_message_has(L, a, *c);
    if (given != 1)
        lwa_args_fail(a, p->name, p->reason);
}

/* A part that is allowed only while a sibling has a value: then it is required. */
static void lwa_message_only_if(lua_State *L, const lwa_args *a, const wa_part *p)
{
    int present = lwa_message_has(L, a, p->name), holds;

    lua_pushstring(L, p->if_part);
    lua_rawget(L, a->index);
    holds = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), p->if_value) == 0;
    lua_pop(L, 1);
    if (holds && !present)
        lwa_args_fail(a, p->name, p->reason);
    if (!holds && present)
        lwa_args_fail(a, p->name, p->unless_reason);
}

static void lwa_message_parts(lua_State *L, const lwa_args *a, const wa_part *parts);

/* A table part checked against its own parts, its names prefixed with "<name>.". */
static void lwa_message_object(lua_State *L, const lwa_args *a, const wa_part *p)
{
    lwa_args inner;

    if (!lwa_args_push(a, p->name, LUA_TTABLE)) {
        if (p->flags & WA_PART_REQUIRED)
            lwa_args_fail(a, p->name, "table expected, got nil");
        return;
    }
    inner = *a;
    inner.index = lua_gettop(L);
    inner.prefix = lua_pushfstring(L, "%s%s.", a->prefix, p->name);
    lwa_message_parts(L, &inner, p->parts);
    lua_pop(L, 2);
}

/* Checks one part of the table behind a, as its kind says. */
static void lwa_message_part(lua_State *L, const lwa_args *a, const wa_part *p)
{
    switch (p->kind) {
    case WA_PART_TEXT:
        lwa_message_text(a, p);
        break;
    case WA_PART_BOOLEAN:
    case WA_PART_TABLE:
        lua_pop(L, lwa_args_push(a, p->name, p->kind == WA_PART_BOOLEAN ? LUA_TBOOLEAN : LUA_TTABLE));
        break;
    case WA_PART_OBJECT:
        lwa_message_object(L, a, p);
        break;
    case WA_PART_OPAQUE_ID:
        lwa_message_ident(a, p, wa_check_opaque_id);
        break;
    case WA_PART_LINK:
        lwa_message_ident(a, p, wa_check_link);
        break;
    case WA_PART_CHOICE:
        lwa_message_choice(a, p);
        break;
    case WA_PART_INTEGER:
        lwa_message_integer(L, a, p);
        break;
    case WA_PART_FORBIDDEN:
        if (lwa_message_has(L, a, p->name))
            lwa_args_fail(a, p->name, p->reason);
        break;
    case WA_PART_ONE_OF:
        lwa_message_one_of(L, a, p);
        break;
    }
    if (p->if_part != NULL)
        lwa_message_only_if(L, a, p);
}

#define LWA_MAX_PARTS 16

/* The names of parts (each once), NULL-terminated, into names. */
static void lwa_message_names(const wa_part *parts, const char **names)
{
    size_t n = 0, i;
    const wa_part *p;

    for (p = parts; p->name != NULL && n < LWA_MAX_PARTS; p++) {
        for (i = 0; i < n && strcmp(names[i], p->name) != 0; i++)
            ;
        if (i == n)
            names[n++] = p->name;
    }
    names[n] = NULL;
}

/* Checks the table behind a against parts: no other key, then each part in order. */
static void lwa_message_parts(lua_State *L, const lwa_args *a, const wa_part *parts)
{
    const char *names[LWA_MAX_PARTS + 1];
    const wa_part *p;

    lwa_message_names(parts, names);
    lwa_args_known(a, names);
    for (p = parts; p->name != NULL; p++)
        lwa_message_part(L, a, p);
}

static const wa_message_type *lwa_message_type_of(lua_State *L, const lwa_args *a)
{
    size_t len, n = 0;
    const char *name = lwa_args_string(a, "type", &len);
    const char *all[16];
    const wa_message_type *t;
    char list[160];

    if (name == NULL)
        lwa_args_fail(a, "type", "string expected, got nil");
    else if (strlen(name) != len) /* "text\0x" would pass for "text" and be sent as it is */
        lwa_args_fail(a, "type", "must not hold NUL bytes");
    t = wa_message_type_find(name);
    if (t != NULL)
        return t;
    for (t = wa_message_types; t->name != NULL && n < 16; t++)
        all[n++] = t->name;
    wa_join_names(list, sizeof list, all, n, " and ");
    lwa_args_fail(a, "type", lua_pushfstring(L, "%s messages cannot be sent to groups (groups take "
                                                "%s)", name, list));
    return NULL;
}

/* The top-level keys: type, the type's object, and the extras. */
static void lwa_message_known(const lwa_args *a, const char *type)
{
    const char *known[LWA_MAX_PARTS + 3];

    known[0] = "type";
    known[1] = type;
    lwa_message_names(wa_message_extras, known + 2);
    lwa_args_known(a, known);
}

/* Copies t[key] of the message at msg into the body at the top, if set: read raw, as
 * the checks read it, so that what is sent is what was checked. */
static void lwa_message_copy(lua_State *L, int msg, const char *key)
{
    lua_pushstring(L, key);
    lua_rawget(L, msg);
    lua_setfield(L, -2, key);
}

void lwa_message_push(lua_State *L, int arg, const char *group_id, size_t len,
                      const lwa_context *cx)
{
    lwa_args a = lwa_args_table(L, arg, "message", "field", cx);
    const wa_message_type *t = lwa_message_type_of(L, &a);
    const wa_part object = {t->name, WA_PART_OBJECT, WA_PART_REQUIRED, 0, 0, NULL, t->parts,
                            NULL, NULL, NULL, NULL};
    const wa_part *extra;

    lwa_message_known(&a, t->name);
    lwa_message_object(L, &a, &object);
    for (extra = wa_message_extras; extra->name != NULL; extra++)
        lwa_message_part(L, &a, extra);

    lua_createtable(L, 0, 7);
    lua_pushliteral(L, "whatsapp");
    lua_setfield(L, -2, "messaging_product");
    lua_pushliteral(L, "group");
    lua_setfield(L, -2, "recipient_type");
    lua_pushlstring(L, group_id, len);
    lua_setfield(L, -2, "to");
    lwa_message_copy(L, a.index, "type");
    lwa_message_copy(L, a.index, t->name);
    lwa_message_copy(L, a.index, "context");
    lwa_message_copy(L, a.index, "biz_opaque_callback_data");
}
