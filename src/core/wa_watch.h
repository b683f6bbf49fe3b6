/* The sockets libcurl asks the pump to watch (CURLMOPT_SOCKETFUNCTION), kept as a pollfd
 * array for one poll(2) over all of them. Waiting fills a separate list of the sockets
 * found ready, so that acting on one (which may change the watched set) does not disturb
 * the rest of the round. Knows nothing of libcurl. */
#ifndef WA_WATCH_H
#define WA_WATCH_H

#include <poll.h>
#include <stddef.h>

typedef struct wa_watch_ready {
    int fd;
    short revents;
} wa_watch_ready;

typedef struct wa_watch {
    struct pollfd *fds;
    wa_watch_ready *ready; /* as many slots as fds, filled by wa_watch_wait */
    size_t n, cap;
} wa_watch;

/* An empty set (all zeros is one too). */
void wa_watch_init(wa_watch *w);
void wa_watch_free(wa_watch *w);

/* Watches fd for events (POLLIN, POLLOUT or both), or stops watching it when events is
 * 0. Returns -1 when out of memory (the set is unchanged), else 0. */
int wa_watch_set(wa_watch *w, int fd, short events);

/* Waits up to timeout_ms (0: only looks) for any watched socket to be ready and returns
 * how many are, listed in w->ready. With nothing watched it sleeps for timeout_ms. A
 * signal ends the wait early with 0. */
size_t wa_watch_wait(wa_watch *w, long timeout_ms);

#endif
