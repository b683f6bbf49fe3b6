/* The transport contract for carriers other than libcurl (nginx subrequests, cosockets,
 * lua-resty-http): the core prepares a request as a Lua table, the carrier sends it, and
 * the core settles the answer, exactly as it does for its own transport. */
#ifndef LWA_TRANSPORT_H
#define LWA_TRANSPORT_H

#include "lwa_compat.h"

/* Adds prepare and settle to the module table at the top of the stack. */
void lwa_transport_open(lua_State *L);

#endif
