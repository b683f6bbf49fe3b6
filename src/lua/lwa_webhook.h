/* The C half of whatsapp.groups.webhook: signature check and constant-time compare. */
#ifndef LWA_WEBHOOK_H
#define LWA_WEBHOOK_H

#include "lwa_compat.h"

/* Adds webhook_verify and webhook_equal to the table at the top of the stack. */
void lwa_webhook_open(lua_State *L);

#endif
