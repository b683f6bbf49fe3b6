#include "wa_verr.h"

#include <stdio.h>

int wa_verr_set(wa_verr *e, const char *field, const char *fmt, ...)
{
    va_list ap;
    e->field = field;
    va_start(ap, fmt);
    vsnprintf(e->reason, sizeof e->reason, fmt, ap);
    va_end(ap);
    return -1;
}
