/* Argument tables: unknown keys refused by name, each value checked for its type.
 * Every failure raises a validation error naming the key, before any I/O. */
#ifndef LWA_ARGS_H
#define LWA_ARGS_H

#include <stddef.h>

#include "lwa_error.h"

typedef struct lwa_args {
    lua_State *L;
    int index;              /* absolute stack index of the table */
    const char *what;       /* what keys are called in messages: "option" or "field" */
    const char *prefix;     /* put before key names, e.g. "text." for a message's text */
    const lwa_context *cx;
} lwa_args;

/* Checks that argument arg (named name in messages) is a table and returns a reader. */
lwa_args lwa_args_table(lua_State *L, int arg, const char *name, const char *what,
                        const lwa_context *cx);
/* Raises for the first key that is not a string in the NULL-terminated names. */
void lwa_args_known(const lwa_args *a, const char *const *names);
/* Pushes the value at key and returns 1 when it has the given Lua type; returns 0 and
 * pushes nothing when it is absent; raises for any other type. */
int lwa_args_push(const lwa_args *a, const char *key, int type);
/* The string at key, or NULL when absent; raises for any other type. */
const char *lwa_args_string(const lwa_args *a, const char *key, size_t *len);
/* The number at key into *out; 0 when absent; raises for another type or a value
 * outside [min, max]. */
int lwa_args_number(const lwa_args *a, const char *key, lua_Number min, lua_Number max,
                    lua_Number *out);
/* Raises "bad <what> '<prefix><key>': <reason>". */
int lwa_args_fail(const lwa_args *a, const char *key, const char *reason) LWA_RAISES;
/* Adds check_table(operation, name, value, {key, ...}) to the module table at the top. */
void lwa_args_export(lua_State *L);
/* The length of the list at stack index idx, or -1 when it is not a list
 * (keys other than 1..n). */
long lwa_args_list_length(lua_State *L, int idx);

#endif
