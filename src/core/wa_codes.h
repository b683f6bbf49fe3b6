/* Graph error codes a groups client meets, with what each means for the caller
 * (reference §8.3, §8.4), written once. */
#ifndef WA_CODES_H
#define WA_CODES_H

/* X(code, hint) */
#define WA_GRAPH_CODES(X) \
    X(4, "the app made too many calls: wait before calling again") \
    X(190, "the access token expired or is invalid: get a new one") \
    X(80007, "the WhatsApp Business Account hit its rate limit: wait") \
    X(130429, "the number's message throughput limit was hit: slow down") \
    X(131020, "a group can be messaged only once someone has joined it") \
    X(131041, "the group does not exist, or this number is not in it") \
    X(131059, "the paging cursor expired or is corrupt: start again from the first page") \
    X(131201, "only some of the participant operations succeeded") \
    X(131202, "a participant is named twice in the request") \
    X(131204, "the group is full (8 participants)") \
    X(131207, "WhatsApp suspended the group: writes are refused") \
    X(131208, "too many group operations from this number: wait") \
    X(131209, "the group picture must be square") \
    X(131210, "the group picture must be larger than 192x192") \
    X(131211, "this number reached its limit of groups") \
    X(131212, "the participant is not in the group") \
    X(131213, "the join request does not exist (any more)") \
    X(131214, "group creation is disabled for a while for this account") \
    X(131215, "this number is not eligible for the Groups API (an Official Business Account is needed)")

/* The hint for a code, or NULL. */
const char *wa_code_hint(long code);

#endif
