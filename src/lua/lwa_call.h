/* One operation from arguments to result: check, encode, send, interpret. */
#ifndef LWA_CALL_H
#define LWA_CALL_H

#include "lwa_client.h"
#include "wa_ops.h"

/* Runs op with the argument table at stack index arg; returns its results or raises. */
int lwa_call(lua_State *L, lwa_client *c, const wa_op *op, int arg);

#endif
