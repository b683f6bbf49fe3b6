#include "wa_message.h"

#include <string.h>

/* Limits of the Cloud API's message objects. */
#define WA_TEXT_MAX 4096
#define WA_CAPTION_MAX 1024
#define WA_FILENAME_MAX 240
#define WA_TEMPLATE_NAME_MAX 512
#define WA_CALLBACK_DATA_MAX 512

#define WA_PART_END {NULL, WA_PART_TEXT, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL}
#define WA_PART(name, kind, flags, max) {name, kind, flags, 0, max, NULL, NULL, NULL, NULL, NULL, NULL}
#define WA_REFUSED(name, reason) {name, WA_PART_FORBIDDEN, 0, 0, 0, NULL, NULL, reason, NULL, NULL, NULL}

static const char *const wa_media_source[] = {"id", "link", NULL};
static const char *const wa_pin_kinds[] = {"pin", "unpin", NULL};

#define WA_MEDIA_SOURCE \
    WA_PART("id", WA_PART_OPAQUE_ID, 0, 0), WA_PART("link", WA_PART_LINK, 0, 0), \
    {"id", WA_PART_ONE_OF, 0, 0, 0, wa_media_source, NULL, \
     "give exactly one of id (an uploaded media id) or link", NULL, NULL, NULL}
#define WA_CAPTION WA_PART("caption", WA_PART_TEXT, 0, WA_CAPTION_MAX)
#define WA_NO_CAPTION WA_REFUSED("caption", "is not allowed for this media type")
#define WA_NO_FILENAME WA_REFUSED("filename", "is only for documents")

static const wa_part wa_text_parts[] = {
    WA_PART("body", WA_PART_TEXT, WA_PART_REQUIRED, WA_TEXT_MAX),
    WA_PART("preview_url", WA_PART_BOOLEAN, 0, 0),
    WA_PART_END,
};

static const wa_part wa_captioned_parts[] = {WA_MEDIA_SOURCE, WA_CAPTION, WA_NO_FILENAME, WA_PART_END};
static const wa_part wa_bare_media_parts[] = {WA_MEDIA_SOURCE, WA_NO_CAPTION, WA_NO_FILENAME,
                                              WA_PART_END};
static const wa_part wa_document_parts[] = {
    WA_MEDIA_SOURCE, WA_CAPTION, WA_PART("filename", WA_PART_TEXT, 0, WA_FILENAME_MAX),
    WA_PART_END,
};

static const wa_part wa_language_parts[] = {
    WA_PART("code", WA_PART_TEXT, WA_PART_REQUIRED, 16),
    WA_PART("policy", WA_PART_TEXT, 0, 16),
    WA_PART_END,
};

static const wa_part wa_template_parts[] = {
    WA_PART("name", WA_PART_TEXT, WA_PART_REQUIRED, WA_TEMPLATE_NAME_MAX),
    {"language", WA_PART_OBJECT, WA_PART_REQUIRED, 0, 0, NULL, wa_language_parts, NULL, NULL,
     NULL, NULL},
    WA_PART("components", WA_PART_TABLE, 0, 0),
    WA_PART_END,
};

static const wa_part wa_pin_parts[] = {
    {"type", WA_PART_CHOICE, WA_PART_REQUIRED, 0, 0, wa_pin_kinds, NULL, NULL, NULL, NULL, NULL},
    WA_PART("message_id", WA_PART_OPAQUE_ID, WA_PART_REQUIRED, 0),
    {"expiration_days", WA_PART_INTEGER, 0, 1, 30, NULL, NULL,
     "is required to pin (1 to 30 days)", "type", "pin", "is only for pinning"},
    WA_PART_END,
};

/* Interactive, location, contacts, reactions and commerce messages are not among them. */
const wa_message_type wa_message_types[] = {
    {"text", wa_text_parts},         {"image", wa_captioned_parts},
    {"audio", wa_bare_media_parts},  {"video", wa_captioned_parts},
    {"document", wa_document_parts}, {"sticker", wa_bare_media_parts},
    {"template", wa_template_parts}, {"pin", wa_pin_parts},
    {NULL, NULL},
};

static const wa_part wa_context_parts[] = {
    WA_PART("message_id", WA_PART_OPAQUE_ID, WA_PART_REQUIRED, 0),
    WA_PART_END,
};

const wa_part wa_message_extras[] = {
    {"context", WA_PART_OBJECT, 0, 0, 0, NULL, wa_context_parts, NULL, NULL, NULL, NULL},
    WA_PART("biz_opaque_callback_data", WA_PART_TEXT, 0, WA_CALLBACK_DATA_MAX),
    WA_PART_END,
};

const wa_message_type *wa_message_type_find(const char *name)
{
    const wa_message_type *t;
    for (t = wa_message_types; t->name != NULL; t++)
        if (strcmp(t->name, name) == 0)
            return t;
    return NULL;
}

void wa_join_names(char *out, size_t cap, const char *const *names, size_t n, const char *last)
{
    size_t i, len = 0;

    if (cap == 0)
        return;
    out[0] = '\0';
    for (i = 0; i < n && len < cap - 1; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? last : ", ";
        strncat(out, sep, cap - 1 - len);
        len = strlen(out);
        strncat(out, names[i], cap - 1 - len);
        len = strlen(out);
    }
}
