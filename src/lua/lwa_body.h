/* An operation's argument table -> the checked body table Graph is sent. */
#ifndef LWA_BODY_H
#define LWA_BODY_H

#include "lwa_error.h"
#include "wa_ops.h"

/* Checks argument arg against the operation's fields and pushes the body table:
 * messaging_product plus each given field as it must be sent. Raises a validation
 * error naming the field on the first problem. */
void lwa_body_push(lua_State *L, const wa_op *op, int arg, const lwa_context *cx);

#endif
