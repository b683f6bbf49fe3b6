/* The one error type: a table with a shared metatable, raised with lua_error. */
#ifndef LWA_ERROR_H
#define LWA_ERROR_H

#include <stddef.h>

#include "lwa_compat.h"
#include "wa_verdict.h"

#define LWA_ERROR_MT "whatsapp.groups.Error"

/* Functions that raise a Lua error never return; the static analyser must know it
 * (lua_error itself is not marked in Lua's headers, so the compiler cannot be told). */
#if defined(__clang_analyzer__)
#define LWA_RAISES __attribute__((analyzer_noreturn))
#else
#define LWA_RAISES
#endif

/* Where an error arose. The secret (the client's token) is cut out of every string an
 * error carries, whatever a server or libcurl put there. */
typedef struct lwa_context {
    const char *operation;
    const char *method;      /* NULL until a request exists */
    const char *path;
    const char *secret;
    size_t secret_len;
    int attempts;            /* requests sent so far for this call */
} lwa_context;

void lwa_error_open(lua_State *L);

/* Pushes a new error object of this kind carrying the context. */
void lwa_error_new(lua_State *L, const lwa_context *cx, wa_kind kind);
/* Pushes s with every occurrence of the secret replaced by [REDACTED]. */
void lwa_error_push_redacted(lua_State *L, const lwa_context *cx, const char *s, size_t len);
/* Sets a string field of the error at the top of the stack, with the secret redacted. */
void lwa_error_set_string(lua_State *L, const lwa_context *cx, const char *key,
                          const char *s, size_t len);
void lwa_error_set_number(lua_State *L, const char *key, lua_Number n);
void lwa_error_set_boolean(lua_State *L, const char *key, int b);

/* Raises a validation error: "bad <what> '<field>': <reason>". Does not return. */
int lwa_raise_validation(lua_State *L, const lwa_context *cx, const char *what,
                         const char *field, const char *reason) LWA_RAISES;

/* Raises a network error with this message, for a client or pump libcurl could not set
 * up. Does not return. */
int lwa_raise_network(lua_State *L, const lwa_context *cx, const char *message) LWA_RAISES;

int lwa_error_is(lua_State *L, int idx);

/* Adds error, validation_error, is_error and Error (the metatable) to the module table
 * at the top: the one maker of error objects, for the Lua modules too. */
void lwa_error_export(lua_State *L);

#endif
