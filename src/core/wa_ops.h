/* The Graph operations the client knows, written once as an X-macro list. */
#ifndef WA_OPS_H
#define WA_OPS_H

#include "wa_field.h"

/* What an operation acts on, which fixes its Lua signature and its path. */
typedef enum wa_on {
    WA_ON_PHONE,   /* client:op(args)            -> /{version}/{phone_number_id}/{edge} */
    WA_ON_GROUP,   /* client:op(group_id, args)  -> /{version}/{group_id}[/{edge}] */
    WA_TO_GROUP    /* client:op(group_id, msg)   -> /{version}/{phone_number_id}/{edge}, to = group */
} wa_on;

/* How the arguments travel. */
typedef enum wa_payload {
    WA_SEND_NOTHING,  /* no body, no query */
    WA_SEND_QUERY,    /* fields in the query string */
    WA_SEND_JSON,     /* fields in a JSON body with messaging_product (multipart with a picture) */
    WA_SEND_MESSAGE,  /* the argument is a message object, sent to a group */
    WA_SEND_FORM      /* fields and a file in a multipart/form-data body */
} wa_payload;

#define WA_OP_IDEMPOTENT 1u  /* sending it twice does no harm */
#define WA_OP_NEEDS_FIELD 2u /* at least one field must be given */
#define WA_OP_EMPTY_OK 4u    /* a 2xx with no body is its success (Meta's contract) */

/* X(ID, name, method, on, edge, payload, flags, fields) */
#define WA_OPERATIONS(X) \
    X(CREATE, "create", "POST", WA_ON_PHONE, "groups", WA_SEND_JSON, 0, wa_create_fields) \
    X(LIST_GROUPS, "list_groups", "GET", WA_ON_PHONE, "groups", WA_SEND_QUERY, \
      WA_OP_IDEMPOTENT, wa_page_fields) \
    X(GET_GROUP, "get_group", "GET", WA_ON_GROUP, NULL, WA_SEND_QUERY, WA_OP_IDEMPOTENT, \
      wa_get_fields) \
    X(UPDATE_GROUP, "update_group", "POST", WA_ON_GROUP, NULL, WA_SEND_JSON, \
      WA_OP_IDEMPOTENT | WA_OP_NEEDS_FIELD | WA_OP_EMPTY_OK, wa_update_fields) \
    X(DELETE_GROUP, "delete_group", "DELETE", WA_ON_GROUP, NULL, WA_SEND_NOTHING, \
      WA_OP_IDEMPOTENT | WA_OP_EMPTY_OK, wa_no_fields) \
    X(INVITE_LINK, "invite_link", "GET", WA_ON_GROUP, "invite_link", WA_SEND_NOTHING, \
      WA_OP_IDEMPOTENT, wa_no_fields) \
    X(RESET_INVITE_LINK, "reset_invite_link", "POST", WA_ON_GROUP, "invite_link", \
      WA_SEND_JSON, 0, wa_no_fields) \
    X(DELETE_INVITE_LINK, "delete_invite_link", "DELETE", WA_ON_GROUP, "invite_link", \
      WA_SEND_JSON, WA_OP_IDEMPOTENT | WA_OP_EMPTY_OK, wa_no_fields) \
    X(REMOVE_PARTICIPANTS, "remove_participants", "DELETE", WA_ON_GROUP, "participants", \
      WA_SEND_JSON, WA_OP_IDEMPOTENT | WA_OP_EMPTY_OK, wa_remove_fields) \
    X(JOIN_REQUESTS, "join_requests", "GET", WA_ON_GROUP, "join_requests", WA_SEND_QUERY, \
      WA_OP_IDEMPOTENT, wa_page_fields) \
    X(APPROVE_JOIN_REQUESTS, "approve_join_requests", "POST", WA_ON_GROUP, "join_requests", \
      WA_SEND_JSON, WA_OP_IDEMPOTENT, wa_join_request_fields) \
    X(REJECT_JOIN_REQUESTS, "reject_join_requests", "DELETE", WA_ON_GROUP, "join_requests", \
      WA_SEND_JSON, WA_OP_IDEMPOTENT, wa_join_request_fields) \
    X(SEND, "send", "POST", WA_TO_GROUP, "messages", WA_SEND_MESSAGE, 0, wa_no_fields) \
    X(UPLOAD_MEDIA, "upload_media", "POST", WA_ON_PHONE, "media", WA_SEND_FORM, 0, \
      wa_media_fields)

typedef enum wa_op_id {
#define WA_OP_ENUM(id, name, method, on, edge, payload, flags, fields) WA_OP_##id,
    WA_OPERATIONS(WA_OP_ENUM)
#undef WA_OP_ENUM
    WA_OP_COUNT
} wa_op_id;

typedef struct wa_op {
    const char *name;
    const char *method;
    wa_on on;
    const char *edge;        /* path part after the node, or NULL */
    wa_payload payload;
    unsigned flags;
    const wa_field *fields;  /* NULL-name-terminated */
} wa_op;

const wa_op *wa_op_get(wa_op_id id);
/* The operation of that name, or NULL. */
const wa_op *wa_op_find(const char *name);

#endif
