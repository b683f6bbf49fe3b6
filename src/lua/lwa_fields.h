/* An operation's argument table -> a table of checked values, ready for the wire. */
#ifndef LWA_FIELDS_H
#define LWA_FIELDS_H

#include "lwa_error.h"
#include "wa_ops.h"

/* Checks argument arg (a table, or nil when no field is required) against the
 * operation's fields and pushes a table of the values to send, by field name: text
 * trimmed where Meta trims it, name lists joined with commas, participants as
 * {user = ...} objects, a picture as its JPEG bytes. Raises a validation error naming the
 * field on the first problem. */
void lwa_fields_push(lua_State *L, const wa_op *op, int arg, const lwa_context *cx);

#endif
