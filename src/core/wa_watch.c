#include "wa_watch.h"

#include <stdlib.h>
#include <string.h>

void wa_watch_init(wa_watch *w)
{
    memset(w, 0, sizeof *w);
}

void wa_watch_free(wa_watch *w)
{
    free(w->fds);
    free(w->ready);
    wa_watch_init(w);
}

static int wa_watch_grow(wa_watch *w)
{
    size_t cap = w->cap == 0 ? 8 : w->cap * 2;
    struct pollfd *fds = realloc(w->fds, cap * sizeof *fds);
    wa_watch_ready *ready;

    if (fds == NULL)
        return -1;
    w->fds = fds;
    ready = realloc(w->ready, cap * sizeof *ready);
    if (ready == NULL)
        return -1; /* fds is only larger than needed: still consistent */
    w->ready = ready;
    w->cap = cap;
    return 0;
}

/* A linear search: the set holds one socket per connection, a few hundred at most, and
 * libcurl changes it a few times per transfer. */
static size_t wa_watch_find(const wa_watch *w, int fd)
{
    size_t i;

    for (i = 0; i < w->n; i++)
        if (w->fds[i].fd == fd)
            return i;
    return w->n;
}

int wa_watch_set(wa_watch *w, int fd, short events)
{
    size_t i = wa_watch_find(w, fd);

    if (events == 0) {
        if (i < w->n)
            w->fds[i] = w->fds[--w->n];
        return 0;
    }
    if (i == w->n) {
        if (w->n == w->cap && wa_watch_grow(w) != 0)
            return -1;
        w->fds[w->n++].fd = fd;
    }
    w->fds[i].events = events;
    w->fds[i].revents = 0;
    return 0;
}

size_t wa_watch_wait(wa_watch *w, long timeout_ms)
{
    size_t i, ready = 0;
    int n;

    if (w->n == 0 && timeout_ms <= 0)
        return 0;
    n = poll(w->fds, (nfds_t)w->n, timeout_ms > 0 ? (int)timeout_ms : 0);
    for (i = 0; n > 0 && i < w->n; i++) {
        if (w->fds[i].revents == 0)
            continue;
        w->ready[ready].fd = w->fds[i].fd;
        w->ready[ready].revents = w->fds[i].revents;
        ready++;
        n--;
    }
    return ready;
}
