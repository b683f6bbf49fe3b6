/* The client object: a userdata holding the settings, the token and the carrier of its
 * calls (libcurl, or a transport function such as the nginx one). Its methods are added
 * by the Lua facade (whatsapp.groups.client); a safe client has a metatable of its own
 * whose methods return nil, err. */
#ifndef LWA_CLIENT_H
#define LWA_CLIENT_H

#include <stddef.h>

#include "lwa_compat.h"
#include "wa_http.h"
#include "wa_retry.h"
#include "wa_version.h"

#define LWA_CLIENT_MT "whatsapp.groups.Client"
#define LWA_SAFE_CLIENT_MT "whatsapp.groups.SafeClient"
#define LWA_DEFAULT_VERSION "v24.0"
#define LWA_DEFAULT_BASE_URL "https://graph.facebook.com"
#define LWA_DEFAULT_MAX_RESPONSE ((size_t)4 * 1024 * 1024) /* bytes: max_response_size */

/* What the client's user value (a table) holds, by index; the client's `hooks` has the
 * bit (1 << index) set for each it holds, so that calls look up only what is there. */
enum { LWA_CLIENT_ON_RETRY = 1, LWA_CLIENT_ON_ATTEMPT, LWA_CLIENT_TRANSPORT, LWA_CLIENT_PACER };
#define LWA_CLIENT_HAS(c, slot) (((c)->hooks >> (slot)) & 1u)

typedef struct lwa_client {
    wa_http *http;            /* NULL once closed */
    char *token;              /* redacts errors; kept after close, for its calls, until
                               * the client is collected (they hold it), then wiped */
    size_t token_len;
    char url_prefix[532];     /* base_url "/" version: every request URL starts so */
    size_t base_len;          /* where the path starts in a request URL */
    char phone_number_id[33]; /* "" when not configured */
    size_t phone_len;
    char user_agent[257];
    double timeout;           /* seconds, for transports other than libcurl */
    double connect_timeout;
    size_t max_response;
    wa_retry_policy retry;    /* the client's defaults; a call may override them */
    unsigned long random;     /* xorshift state for backoff jitter */
    unsigned hooks;           /* which of its user value's slots are set */
    wa_http_response answer;  /* the answer its own carrier (libcurl or a transport
                               * function) gave last, settled before the next attempt */
} lwa_client;

/* Registers both metatables and adds new and new_safe to the module table at the top,
 * with client_methods and safe_client_methods, the method tables the facade fills. */
void lwa_client_open(lua_State *L);
/* The client (safe or not) at stack index idx; raises if it is none. */
lwa_client *lwa_client_check(lua_State *L, int idx);
/* The same, and it must be open; raises a validation error naming operation otherwise. */
lwa_client *lwa_client_check_open(lua_State *L, int idx, const char *operation);
/* Whether the client at idx is a safe one. */
int lwa_client_is_safe(lua_State *L, int idx);
/* Pushes field `slot` of the client's user value (a hook, the transport, or nil). */
void lwa_client_push(lua_State *L, int idx, int slot);

#endif
