#include "wa_ops.h"

#include <stddef.h>
#include <string.h>

#include "wa_media.h"

/* Limits from Meta's Groups guide and OpenAPI description (reference §1, §9). */
static const char *const wa_join_modes[] = {"auto_approve", "approval_required", NULL};
static const char *const wa_group_fields[] = {
    "subject", "description", "join_approval_mode", "suspended", "creation_timestamp",
    "participants", "total_participant_count", NULL,
};

#define WA_END {NULL, WA_FIELD_TEXT, 0, 0, 0, NULL}
/* The group's subject and description, as create and update take them. */
#define WA_SUBJECT(flags) {"subject", WA_FIELD_TEXT, (flags) | WA_FIELD_NONEMPTY | WA_FIELD_TRIM, 0, 128, NULL}
#define WA_DESCRIPTION {"description", WA_FIELD_TEXT, 0, 0, 2048, NULL}
#define WA_GROUP_FIELD_COUNT ((long)(sizeof wa_group_fields / sizeof wa_group_fields[0]) - 1)

static const wa_field wa_no_fields[] = {WA_END};

static const wa_field wa_create_fields[] = {
    WA_SUBJECT(WA_FIELD_REQUIRED),
    WA_DESCRIPTION,
    {"join_approval_mode", WA_FIELD_CHOICE, 0, 0, 0, wa_join_modes},
    WA_END,
};

static const wa_field wa_page_fields[] = {
    {"limit", WA_FIELD_INTEGER, 0, 1, 1024, NULL},
    {"after", WA_FIELD_CURSOR, 0, 0, 0, NULL},
    {"before", WA_FIELD_CURSOR, 0, 0, 0, NULL},
    WA_END,
};

static const wa_field wa_get_fields[] = {
    {"fields", WA_FIELD_NAMES, WA_FIELD_ALL_BY_DEFAULT, 1, WA_GROUP_FIELD_COUNT, wa_group_fields},
    WA_END,
};

static const wa_field wa_update_fields[] = {
    WA_SUBJECT(0),
    WA_DESCRIPTION,
    {"picture", WA_FIELD_PICTURE, 0, 0, 0, NULL},
    WA_END,
};

static const wa_field wa_remove_fields[] = {
    {"participants", WA_FIELD_USERS, WA_FIELD_REQUIRED, 1, 8, NULL},
    WA_END,
};

/* The type first: the file is checked against it (wa_check_media). */
static const wa_field wa_media_fields[] = {
    {"type", WA_FIELD_CHOICE, WA_FIELD_REQUIRED, 0, 0, wa_media_types},
    {"file", WA_FIELD_MEDIA, WA_FIELD_REQUIRED, 0, 0, NULL},
    WA_END,
};

/* Meta states no maximum per call; 1000 keeps one request a reasonable size. */
static const wa_field wa_join_request_fields[] = {
    {"join_requests", WA_FIELD_IDS, WA_FIELD_REQUIRED, 1, 1000, NULL},
    WA_END,
};

static const wa_op wa_ops[WA_OP_COUNT] = {
#define WA_OP_ROW(id, name, method, on, edge, payload, flags, fields) \
    {name, method, on, edge, payload, flags, fields},
    WA_OPERATIONS(WA_OP_ROW)
#undef WA_OP_ROW
};

const wa_op *wa_op_get(wa_op_id id)
{
    return (id >= 0 && id < WA_OP_COUNT) ? &wa_ops[id] : NULL;
}

const wa_op *wa_op_find(const char *name)
{
    int id;
    for (id = 0; id < WA_OP_COUNT; id++)
        if (strcmp(wa_ops[id].name, name) == 0)
            return &wa_ops[id];
    return NULL;
}
