/* The one reader of Graph's numbers: integers where Graph means integers, from a number
 * or a decimal string (Meta quotes some), as Lua integers on 5.3+. */
#ifndef LWA_NUMBER_H
#define LWA_NUMBER_H

#include "lwa_compat.h"

/* 1 and *out when the value at idx is a whole number (|n| < 2^53) or a string of
 * decimal digits with an optional minus sign; 0 otherwise ("0x1F", "1e3", "12abc"). */
int lwa_number_integer(lua_State *L, int idx, lua_Number *out);

/* Pushes n as an integer on Lua 5.3+ when it is whole, else as a float. */
void lwa_number_push(lua_State *L, lua_Number n);

/* Adds integer(value) -> the integer, or nil, to the module table at the top. */
void lwa_number_open(lua_State *L);

#endif
