#include "wa_codes.h"

#include <stddef.h>

const char *wa_code_hint(long code)
{
    switch (code) {
#define WA_CODE_CASE(number, hint) \
    case number:                   \
        return hint;
        WA_GRAPH_CODES(WA_CODE_CASE)
#undef WA_CODE_CASE
    }
    return NULL;
}
