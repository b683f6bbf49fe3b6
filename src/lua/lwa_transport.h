/* The transport contract, for carriers other than libcurl (nginx subrequests, cosockets,
 * lua-resty-http): a call's request as a Lua table out, the carrier's answer back in. */
#ifndef LWA_TRANSPORT_H
#define LWA_TRANSPORT_H

#include "lwa_client.h"
#include "lwa_request.h"

/* The request headers a transport sends, written once (the nginx location has a variable
 * for each): X(name). */
#define LWA_REQUEST_HEADERS(X) X("Authorization") X("Accept") X("User-Agent") X("Content-Type")

/* Pushes {method, url, headers, body, timeout, connect_timeout, operation} for rq; the
 * headers carry c's token. Raises only when memory runs out. */
void lwa_transport_push_request(lua_State *L, const lwa_request *rq, const lwa_client *c);

/* Reads a transport's answer, the values at base, base+1, base+2: (status, headers, body)
 * or (nil, message, how) with how "timeout", "not_sent", "refused" or "failed". Fills rs;
 * rs->body points into the body string, which the caller keeps alive. An answer that does
 * not fit the contract is reported in rs as a failed transfer, never raised. */
void lwa_transport_read_answer(lua_State *L, int base, size_t max_response,
                               wa_http_response *rs);

/* Adds REQUEST_HEADERS (the list above) to the module table at the top. */
void lwa_transport_open(lua_State *L);

#endif
