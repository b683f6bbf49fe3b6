/* One operation from arguments to result: check, encode, send, interpret. */
#ifndef LWA_CALL_H
#define LWA_CALL_H

#include "lwa_client.h"
#include "wa_ops.h"

/* Runs op with the method's arguments (stack index 2 on); returns its result or raises. */
int lwa_call(lua_State *L, lwa_client *c, const wa_op *op);

#endif
