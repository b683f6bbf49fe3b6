#include "lwa_message.h"

#include <string.h>

#include "lwa_args.h"
#include "wa_field.h"
#include "wa_ident.h"

/* Limits of the Cloud API's message objects. */
#define LWA_TEXT_MAX 4096
#define LWA_CAPTION_MAX 1024
#define LWA_FILENAME_MAX 240
#define LWA_TEMPLATE_NAME_MAX 512
#define LWA_CALLBACK_DATA_MAX 512

typedef void (*lwa_message_check)(lua_State *L, const lwa_args *a, const char *type);

/* The string at key, or NULL when absent (raising when it is required). */
static const char *lwa_message_string(const lwa_args *a, const char *key, int required,
                                      size_t *len)
{
    const char *s = lwa_args_string(a, key, len);
    if (s == NULL && required)
        lwa_args_fail(a, key, "string expected, got nil");
    return s;
}

/* A string field of the object: checked as text of at most max characters. */
static void lwa_message_text(const lwa_args *a, const char *key, long max, int required)
{
    size_t len;
    const char *s = lwa_message_string(a, key, required, &len);
    wa_verr e;

    if (s != NULL && wa_check_text(key, s, len, max, 1, &e) != 0)
        lwa_args_fail(a, key, e.reason);
}

/* A string field that must pass an identifier check. */
static void lwa_message_ident(const lwa_args *a, const char *key, int required,
                              int (*check)(const char *, const char *, size_t, wa_verr *))
{
    size_t len;
    const char *s = lwa_message_string(a, key, required, &len);
    wa_verr e;

    if (s != NULL && check(key, s, len, &e) != 0)
        lwa_args_fail(a, key, e.reason);
}

static void lwa_message_check_text(lua_State *L, const lwa_args *a, const char *type)
{
    static const char *const known[] = {"body", "preview_url", NULL};
    (void)type;
    lwa_args_known(a, known);
    lwa_message_text(a, "body", LWA_TEXT_MAX, 1);
    if (lwa_args_push(a, "preview_url", LUA_TBOOLEAN))
        lua_pop(L, 1);
}

static void lwa_message_check_media(lua_State *L, const lwa_args *a, const char *type)
{
    static const char *const known[] = {"id", "link", "caption", "filename", NULL};
    int has_id, has_link;

    lwa_args_known(a, known);
    lwa_message_ident(a, "id", 0, wa_check_opaque_id);
    lwa_message_ident(a, "link", 0, wa_check_link);
    has_id = lwa_args_push(a, "id", LUA_TSTRING);
    has_link = lwa_args_push(a, "link", LUA_TSTRING);
    lua_pop(L, has_id + has_link);
    if (has_id == has_link)
        lwa_args_fail(a, "id", "give exactly one of id (an uploaded media id) or link");
    if (strcmp(type, "audio") == 0 || strcmp(type, "sticker") == 0) {
        if (lwa_args_push(a, "caption", LUA_TSTRING))
            lwa_args_fail(a, "caption", "is not allowed for this media type");
    } else
        lwa_message_text(a, "caption", LWA_CAPTION_MAX, 0);
    if (strcmp(type, "document") == 0)
        lwa_message_text(a, "filename", LWA_FILENAME_MAX, 0);
    else if (lwa_args_push(a, "filename", LUA_TSTRING))
        lwa_args_fail(a, "filename", "is only for documents");
}

static void lwa_message_check_template(lua_State *L, const lwa_args *a, const char *type)
{
    static const char *const known[] = {"name", "language", "components", NULL};
    static const char *const language_keys[] = {"code", "policy", NULL};
    lwa_args language;

    (void)type;
    lwa_args_known(a, known);
    lwa_message_text(a, "name", LWA_TEMPLATE_NAME_MAX, 1);
    if (!lwa_args_push(a, "language", LUA_TTABLE))
        lwa_args_fail(a, "language", "table expected, got nil");
    language = *a;
    language.index = lua_gettop(L);
    language.prefix = "template.language.";
    lwa_args_known(&language, language_keys);
    lwa_message_text(&language, "code", 16, 1);
    lwa_message_text(&language, "policy", 16, 0);
    lua_pop(L, 1);
    if (lwa_args_push(a, "components", LUA_TTABLE))
        lua_pop(L, 1);
}

static void lwa_message_check_pin(lua_State *L, const lwa_args *a, const char *type)
{
    static const char *const known[] = {"type", "message_id", "expiration_days", NULL};
    static const char *const pin_types[] = {"pin", "unpin", NULL};
    static const wa_field kind = {"type", WA_FIELD_CHOICE, 0, 0, 0, pin_types};
    static const wa_field days = {"expiration_days", WA_FIELD_INTEGER, 0, 1, 30, NULL};
    size_t len;
    const char *s;
    int has_days;
    wa_verr e;

    (void)type;
    lwa_args_known(a, known);
    s = lwa_args_string(a, "type", &len);
    if (s == NULL)
        lwa_args_fail(a, "type", "string expected, got nil");
    if (wa_field_check_string(&kind, &s, &len, &e) != 0)
        lwa_args_fail(a, "type", e.reason);
    lwa_message_ident(a, "message_id", 1, wa_check_opaque_id);
    has_days = lwa_args_push(a, "expiration_days", LUA_TNUMBER);
    if (has_days && wa_field_check_integer(&days, lua_tonumber(L, -1), &e) != 0)
        lwa_args_fail(a, "expiration_days", e.reason);
    lua_pop(L, has_days);
    if (strcmp(s, "pin") == 0 && !has_days)
        lwa_args_fail(a, "expiration_days", "is required to pin (1 to 30 days)");
    if (strcmp(s, "unpin") == 0 && has_days)
        lwa_args_fail(a, "expiration_days", "is only for pinning");
}

typedef struct lwa_message_type {
    const char *name;
    lwa_message_check check;
} lwa_message_type;

/* What groups accept (reference §2.1, §2.2); interactive, location, contacts, reactions
 * and commerce messages are not among them. */
static const lwa_message_type lwa_message_types[] = {
    {"text", lwa_message_check_text},       {"image", lwa_message_check_media},
    {"audio", lwa_message_check_media},     {"video", lwa_message_check_media},
    {"document", lwa_message_check_media},  {"sticker", lwa_message_check_media},
    {"template", lwa_message_check_template}, {"pin", lwa_message_check_pin},
    {NULL, NULL},
};

static const lwa_message_type *lwa_message_find(const char *name)
{
    const lwa_message_type *t;
    for (t = lwa_message_types; t->name != NULL; t++)
        if (strcmp(t->name, name) == 0)
            return t;
    return NULL;
}

static const lwa_message_type *lwa_message_type_of(lua_State *L, const lwa_args *a)
{
    size_t len;
    const char *name = lwa_args_string(a, "type", &len);
    const lwa_message_type *t;

    if (name == NULL)
        lwa_args_fail(a, "type", "string expected, got nil");
    else if (strlen(name) != len) /* "text\0x" would pass for "text" and be sent as it is */
        lwa_args_fail(a, "type", "must not hold NUL bytes");
    t = lwa_message_find(name);
    if (t == NULL)
        lwa_args_fail(a, "type", lua_pushfstring(L, "%s messages cannot be sent to groups (groups take "
                                                    "text, image, audio, video, document, sticker, "
                                                    "template and pin)", name));
    return t;
}

/* The top-level keys: type, the type's object, and the two optional extras. */
static void lwa_message_known(const lwa_args *a, const char *type)
{
    const char *known[] = {"type", type, "context", "biz_opaque_callback_data", NULL};
    lwa_args_known(a, known);
}

static void lwa_message_extras(lua_State *L, const lwa_args *a)
{
    lwa_message_text(a, "biz_opaque_callback_data", LWA_CALLBACK_DATA_MAX, 0);
    if (lwa_args_push(a, "context", LUA_TTABLE)) {
        static const char *const known[] = {"message_id", NULL};
        lwa_args context = *a;
        context.index = lua_gettop(L);
        context.prefix = "context.";
        lwa_args_known(&context, known);
        lwa_message_ident(&context, "message_id", 1, wa_check_opaque_id);
        lua_pop(L, 1);
    }
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
    const lwa_message_type *t = lwa_message_type_of(L, &a);
    lwa_args object;

    lwa_message_known(&a, t->name);
    if (!lwa_args_push(&a, t->name, LUA_TTABLE))
        lwa_args_fail(&a, t->name, "table expected, got nil");
    object = a;
    object.index = lua_gettop(L);
    object.prefix = lua_pushfstring(L, "%s.", t->name);
    t->check(L, &object, t->name);
    lua_pop(L, 2);
    lwa_message_extras(L, &a);

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
