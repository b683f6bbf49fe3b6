/* The client object: a userdata holding the settings and the libcurl transport. */
#ifndef LWA_CLIENT_H
#define LWA_CLIENT_H

#include <stddef.h>

#include "lwa_compat.h"
#include "wa_http.h"
#include "wa_retry.h"
#include "wa_version.h"

#define LWA_CLIENT_MT "whatsapp.groups.Client"
#define LWA_DEFAULT_VERSION "v24.0"
#define LWA_DEFAULT_BASE_URL "https://graph.facebook.com"

typedef struct lwa_client {
    wa_http *http;            /* NULL once closed */
    char *token;              /* kept to redact it from errors; wiped on close */
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
    int on_retry;             /* registry reference to the on_retry hook, or LUA_NOREF */
    unsigned long random;     /* xorshift state for backoff jitter */
    int safe;                 /* methods return nil, err instead of raising */
} lwa_client;

void lwa_client_open(lua_State *L);
/* Adds to the module table at the top: methods (the clients' method table, so the Lua
 * half can add its methods), is_safe(client) and validation_error(...). */
void lwa_client_export(lua_State *L);
/* The client at stack index idx, which must be open; raises otherwise. */
lwa_client *lwa_client_check_open(lua_State *L, int idx, const char *operation);
/* groups.new{...} and its safe twin. */
int lwa_client_new(lua_State *L);
int lwa_client_new_safe(lua_State *L);

#endif
