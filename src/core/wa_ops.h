/* The Graph operations the client knows, written once as an X-macro list. */
#ifndef WA_OPS_H
#define WA_OPS_H

#include "wa_field.h"

/* Which node an operation's path starts from. */
typedef enum wa_root {
    WA_ROOT_PHONE_NUMBER /* /{version}/{phone_number_id}/... */
} wa_root;

/* X(ID, name, method, root, edge, idempotent, fields) */
#define WA_OPERATIONS(X) \
    X(CREATE, "create", "POST", WA_ROOT_PHONE_NUMBER, "groups", 0, wa_create_fields)

typedef enum wa_op_id {
#define WA_OP_ENUM(id, name, method, root, edge, idem, fields) WA_OP_##id,
    WA_OPERATIONS(WA_OP_ENUM)
#undef WA_OP_ENUM
    WA_OP_COUNT
} wa_op_id;

typedef struct wa_op {
    const char *name;
    const char *method;
    wa_root root;
    const char *edge;        /* path part after the root node */
    int idempotent;          /* safe to send twice */
    const wa_field *fields;  /* NULL-name-terminated */
} wa_op;

const wa_op *wa_op_get(wa_op_id id);

#endif
