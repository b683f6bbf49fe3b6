#include "lwa_fields.h"

#include <stdio.h>
#include <string.h>

#include "lwa_args.h"
#include "lwa_picture.h"
#include "wa_media.h"
#include "wa_message.h"

#define LWA_MAX_FIELDS 16

static void lwa_fields_known(const lwa_args *a, const wa_op *op)
{
    const char *names[LWA_MAX_FIELDS + 1];
    size_t n = 0;
    const wa_field *f;

    for (f = op->fields; f->name != NULL && n < LWA_MAX_FIELDS; f++)
        names[n++] = f->name;
    names[n] = NULL;
    lwa_args_known(a, names);
}

static void lwa_fields_string(lua_State *L, const lwa_args *a, const wa_field *f)
{
    size_t len;
    const char *s = lwa_args_string(a, f->name, &len);
    wa_verr e;

    if (s == NULL)
        return;
    if (wa_field_check_string(f, &s, &len, &e) != 0)
        lwa_args_fail(a, e.field, e.reason);
    lua_pushlstring(L, s, len);
    lua_setfield(L, -2, f->name);
}

static void lwa_fields_integer(lua_State *L, const lwa_args *a, const wa_field *f)
{
    wa_verr e;

    if (!lwa_args_push(a, f->name, LUA_TNUMBER))
        return;
    if (wa_field_check_integer(f, lua_tonumber(L, -1), &e) != 0)
        lwa_args_fail(a, e.field, e.reason);
    lua_pushinteger(L, (lua_Integer)lua_tonumber(L, -1));
    lua_setfield(L, -3, f->name);
    lua_pop(L, 1);
}

/* Checks item i (at the top) of a list field; returns it narrowed. */
static const char *lwa_fields_item(lua_State *L, const lwa_args *a, const wa_field *f, long i,
                                   size_t *len)
{
    const char *s;
    wa_verr e;

    if (lua_type(L, -1) != LUA_TSTRING)
        lwa_args_fail(a, f->name, lua_pushfstring(L, "item %d: string expected, got %s", (int)i,
                                                  luaL_typename(L, -1)));
    s = lua_tolstring(L, -1, len);
    if (wa_field_check_string(f, &s, len, &e) != 0)
        lwa_args_fail(a, f->name, lua_pushfstring(L, "item %d: %s", (int)i, e.reason));
    return s;
}

/* Appends item i (string s at the top) to the output at out in the field's wire form. */
static void lwa_fields_emit(lua_State *L, const wa_field *f, int out, long i)
{
    if (f->type == WA_FIELD_USERS) {
        lua_createtable(L, 0, 1);
        lua_insert(L, -2);
        lua_setfield(L, -2, "user");
    }
    if (f->type == WA_FIELD_NAMES && i > 1) {
        lua_pushvalue(L, out);
        lua_insert(L, -2);
        lua_pushliteral(L, ",");
        lua_insert(L, -2);
        lua_concat(L, 3);
        lua_replace(L, out);
        return;
    }
    if (f->type == WA_FIELD_NAMES) {
        lua_replace(L, out);
        return;
    }
    lua_rawseti(L, out, (int)i);
}

/* A list: its length, each item's rules, no item twice. */
static void lwa_fields_list(lua_State *L, const lwa_args *a, const wa_field *f)
{
    long n, i;
    int list, seen, out;
    wa_verr e;

    if (!lwa_args_push(a, f->name, LUA_TTABLE))
        return;
    list = lua_gettop(L);
    n = lwa_args_list_length(L, list);
    if (n < 0)
        lwa_args_fail(a, f->name, "must be a list (keys 1 to n)");
    if (wa_field_check_count(f, (size_t)n, &e) != 0)
        lwa_args_fail(a, e.field, e.reason);
    lua_createtable(L, 0, (int)n);
    seen = lua_gettop(L);
    if (f->type == WA_FIELD_NAMES)
        lua_pushliteral(L, "");
    else
        lua_createtable(L, (int)n, 0);
    out = lua_gettop(L);
    for (i = 1; i <= n; i++) {
        size_t len;
        const char *s;
        lua_rawgeti(L, list, (int)i);
        s = lwa_fields_item(L, a, f, i, &len);
        lua_pushlstring(L, s, len); /* the item as sent */
        lua_pushvalue(L, -1);
        lua_rawget(L, seen);
        if (!lua_isnil(L, -1))
            lwa_args_fail(a, f->name, lua_pushfstring(L, "item %d repeats item %d", (int)i,
                                                      (int)lua_tointeger(L, -1)));
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushinteger(L, (lua_Integer)i);
        lua_rawset(L, seen);
        lwa_fields_emit(L, f, out, i);
        lua_pop(L, 1);
    }
    lua_setfield(L, list - 1, f->name);
    lua_pop(L, 2); /* seen and the caller's list */
}

/* NAMES with ALL_BY_DEFAULT: every choice, when the caller named none. */
static void lwa_fields_all_names(lua_State *L, const wa_field *f)
{
    const char *const *c;
    luaL_Buffer b;

    luaL_buffinit(L, &b);
    for (c = f->choices; *c != NULL; c++) {
        if (c != f->choices)
            luaL_addchar(&b, ',');
        luaL_addstring(&b, *c);
    }
    luaL_pushresult(&b);
    lua_setfield(L, -2, f->name);
}

static void lwa_fields_picture(lua_State *L, const lwa_args *a, const wa_field *f)
{
    size_t len;
    const char *s = lwa_args_string(a, f->name, &len);

    if (s == NULL)
        return;
    lwa_picture_push(L, a, f->name, s, len);
    lua_setfield(L, -2, f->name);
}

/* A file to upload, checked against the type field, read before it (wa_check_media). */
static void lwa_fields_media(lua_State *L, const lwa_args *a, const wa_field *f)
{
    size_t len, n;
    const char *s = lwa_args_string(a, f->name, &len), *type;
    const unsigned char *bytes;
    wa_verr e;

    if (s == NULL)
        return;
    lwa_media_push(L, a, f->name, s, len);
    bytes = (const unsigned char *)lua_tolstring(L, -1, &n);
    lua_getfield(L, -2, "type"); /* the fields table's: checked already */
    type = lua_tostring(L, -1);
    if (type != NULL && wa_check_media(type, bytes, n, &e) != 0)
        lwa_args_fail(a, e.field, e.reason);
    lua_pop(L, 1);
    lua_setfield(L, -2, f->name);
}

static void lwa_fields_one(lua_State *L, const lwa_args *a, const wa_field *f)
{
    switch (f->type) {
    case WA_FIELD_TEXT:
    case WA_FIELD_CHOICE:
    case WA_FIELD_CURSOR:
        lwa_fields_string(L, a, f);
        break;
    case WA_FIELD_INTEGER:
        lwa_fields_integer(L, a, f);
        break;
    case WA_FIELD_NAMES:
    case WA_FIELD_IDS:
    case WA_FIELD_USERS:
        lwa_fields_list(L, a, f);
        break;
    case WA_FIELD_PICTURE:
        lwa_fields_picture(L, a, f);
        break;
    case WA_FIELD_MEDIA:
        lwa_fields_media(L, a, f);
        break;
    }
}

/* Required fields missing, defaults filled, and "at least one" operations satisfied. */
static void lwa_fields_complete(lua_State *L, const lwa_args *a, const wa_op *op)
{
    const wa_field *f;
    int given = 0;

    for (f = op->fields; f->name != NULL; f++) {
        int absent;
        lua_getfield(L, -1, f->name);
        absent = lua_isnil(L, -1);
        lua_pop(L, 1);
        given += !absent;
        if (absent && (f->flags & WA_FIELD_REQUIRED))
            lwa_args_fail(a, f->name, f->type == WA_FIELD_TEXT ? "string expected, got nil"
                                                               : "is required");
        if (absent && f->type == WA_FIELD_NAMES && (f->flags & WA_FIELD_ALL_BY_DEFAULT))
            lwa_fields_all_names(L, f);
    }
    if ((op->flags & WA_OP_NEEDS_FIELD) && given == 0) {
        const char *names[8];
        char list[120];
        size_t n = 0;
        for (f = op->fields; f->name != NULL && n < 8; f++)
            names[n++] = f->name;
        wa_join_names(list, sizeof list, names, n, " or ");
        lwa_raise_validation(L, a->cx, "field", NULL,
                             lua_pushfstring(L, "give at least one of %s", list));
    }
}

void lwa_fields_push(lua_State *L, const wa_op *op, int arg, const lwa_context *cx)
{
    lwa_args a;
    const wa_field *f;

    lua_settop(L, arg); /* extra arguments are ignored */
    if (lua_isnil(L, arg)) {
        lua_newtable(L);
        lua_replace(L, arg);
    }
    a = lwa_args_table(L, arg, "args", "field", cx);
    lwa_fields_known(&a, op);
    lua_createtable(L, 0, 4);
    for (f = op->fields; f->name != NULL; f++)
        lwa_fields_one(L, &a, f);
    lwa_fields_complete(L, &a, op);
}
