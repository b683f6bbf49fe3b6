/* A message for a group -> the checked /messages body. */
#ifndef LWA_MESSAGE_H
#define LWA_MESSAGE_H

#include <stddef.h>

#include "lwa_error.h"

/* Checks the message table at stack index arg against what groups accept (text, media,
 * templates, pins) and pushes the body: messaging_product, recipient_type "group", to,
 * type and the type's object. Raises a validation error naming the field. */
void lwa_message_push(lua_State *L, int arg, const char *group_id, size_t len,
                      const lwa_context *cx);

#endif
