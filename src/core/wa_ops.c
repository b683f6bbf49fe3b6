#include "wa_ops.h"

#include <stddef.h>

/* Limits from Meta's Groups guide and OpenAPI description (reference §1.1, §9). */
static const char *const wa_join_modes[] = {"auto_approve", "approval_required", NULL};

static const wa_field wa_create_fields[] = {
    {"subject", WA_FIELD_TEXT, WA_FIELD_REQUIRED | WA_FIELD_TRIM, 128, NULL},
    {"description", WA_FIELD_TEXT, 0, 2048, NULL},
    {"join_approval_mode", WA_FIELD_CHOICE, 0, 0, wa_join_modes},
    {NULL, WA_FIELD_TEXT, 0, 0, NULL},
};

static const wa_op wa_ops[WA_OP_COUNT] = {
#define WA_OP_ROW(id, name, method, root, edge, idem, fields) \
    {name, method, root, edge, idem, fields},
    WA_OPERATIONS(WA_OP_ROW)
#undef WA_OP_ROW
};

const wa_op *wa_op_get(wa_op_id id)
{
    return (id >= 0 && id < WA_OP_COUNT) ? &wa_ops[id] : NULL;
}
