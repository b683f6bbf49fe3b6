#include "wa_watch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/epoll.h>
#define WA_WATCH_EPOLL 1
#endif

void wa_watch_init(wa_watch *w)
{
    memset(w, 0, sizeof *w);
}

void wa_watch_free(wa_watch *w)
{
    if (w->epoll == 1)
        close(w->ep);
    free(w->by_fd);
    free(w->ready);
    free(w->fds);
    free(w->events);
    wa_watch_init(w);
}

/* epoll where the system has it, chosen once, on the first socket. */
static void wa_watch_choose(wa_watch *w)
{
    if (w->epoll != 0)
        return;
    w->epoll = -1;
#ifdef WA_WATCH_EPOLL
    w->ep = epoll_create1(EPOLL_CLOEXEC);
    if (w->ep >= 0)
        w->epoll = 1;
#endif
}

/* Room for socket number fd in by_fd. */
static int wa_watch_grow_fd(wa_watch *w, int fd)
{
    size_t need = (size_t)fd + 1, nfd = w->nfd == 0 ? 64 : w->nfd;
    wa_watch_entry *by_fd;

    if (need <= w->nfd)
        return 0;
    while (nfd < need)
        nfd *= 2;
    by_fd = realloc(w->by_fd, nfd * sizeof *by_fd);
    if (by_fd == NULL)
        return -1;
    memset(by_fd + w->nfd, 0, (nfd - w->nfd) * sizeof *by_fd);
    w->by_fd = by_fd;
    w->nfd = nfd;
    return 0;
}

/* Room for what the kernel reports of cap sockets: struct pollfd or struct epoll_event. */
static int wa_watch_grow_events(wa_watch *w, size_t cap)
{
    void *p;

#ifdef WA_WATCH_EPOLL
    if (w->epoll == 1) {
        p = realloc(w->events, cap * sizeof(struct epoll_event));
        if (p == NULL)
            return -1;
        w->events = p;
        return 0;
    }
#endif
    p = realloc(w->fds, cap * sizeof(struct pollfd));
    if (p == NULL)
        return -1;
    w->fds = p;
    return 0;
}

/* Room for one more watched socket in ready and in what the kernel fills. */
static int wa_watch_grow(wa_watch *w)
{
    size_t cap = w->cap == 0 ? 8 : w->cap * 2;
    wa_watch_ready *ready;

    if (w->n < w->cap)
        return 0;
    if (wa_watch_grow_events(w, cap) != 0)
        return -1;
    ready = realloc(w->ready, cap * sizeof *ready);
    if (ready == NULL)
        return -1; /* fds is only larger than needed: still consistent */
    w->ready = ready;
    w->cap = cap;
    return 0;
}

#ifdef WA_WATCH_EPOLL
/* Tells epoll. A socket libcurl closed before saying so has left epoll already, and its
 * number may come back as a new socket: MOD then finds nothing and ADD is right, or the
 * other way round. */
static int wa_watch_epoll(wa_watch *w, int fd, short events, int was_watched)
{
    struct epoll_event ev;
    int op = events == 0 ? EPOLL_CTL_DEL : was_watched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;

    memset(&ev, 0, sizeof ev);
    ev.events = ((events & POLLIN) ? EPOLLIN : 0) | ((events & POLLOUT) ? EPOLLOUT : 0);
    ev.data.fd = fd;
    if (epoll_ctl(w->ep, op, fd, &ev) == 0 || op == EPOLL_CTL_DEL)
        return 0;
    if (op == EPOLL_CTL_MOD && errno == ENOENT)
        return epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev) == 0 ? 0 : -1;
    if (op == EPOLL_CTL_ADD && errno == EEXIST)
        return epoll_ctl(w->ep, EPOLL_CTL_MOD, fd, &ev) == 0 ? 0 : -1;
    return -1;
}
#endif

/* Keeps the pollfd array in step: a new socket at the end, a removed one replaced by the
 * last. */
static void wa_watch_pollfd(wa_watch *w, int fd, short events, int was_watched)
{
    wa_watch_entry *e = &w->by_fd[fd];

    if (events == 0) {
        struct pollfd last = w->fds[w->n - 1];
        w->fds[e->pos] = last;
        w->by_fd[last.fd].pos = e->pos;
        return;
    }
    if (!was_watched) {
        e->pos = w->n;
        w->fds[e->pos].fd = fd;
    }
    w->fds[e->pos].events = events;
    w->fds[e->pos].revents = 0;
}

int wa_watch_set(wa_watch *w, int fd, short events)
{
    int was_watched;

    if (fd < 0)
        return -1;
    if (events == 0 && ((size_t)fd >= w->nfd || w->by_fd[fd].events == 0))
        return 0; /* not watched: nothing to stop */
    wa_watch_choose(w);
    if (wa_watch_grow_fd(w, fd) != 0 || (w->by_fd[fd].events == 0 && wa_watch_grow(w) != 0))
        return -1;
    was_watched = w->by_fd[fd].events != 0;
#ifdef WA_WATCH_EPOLL
    if (w->epoll == 1 && wa_watch_epoll(w, fd, events, was_watched) != 0)
        return -1;
#endif
    if (w->epoll != 1)
        wa_watch_pollfd(w, fd, events, was_watched);
    w->by_fd[fd].events = events;
    if (events == 0)
        w->n--;
    else if (!was_watched)
        w->n++;
    return 0;
}

#ifdef WA_WATCH_EPOLL
static short wa_watch_revents(unsigned int ev)
{
    return (short)(((ev & EPOLLIN) ? POLLIN : 0) | ((ev & EPOLLOUT) ? POLLOUT : 0) |
                   ((ev & EPOLLPRI) ? POLLPRI : 0) | ((ev & EPOLLERR) ? POLLERR : 0) |
                   ((ev & EPOLLHUP) ? POLLHUP : 0));
}

/* One epoll_wait for as many sockets as are watched, into the ready list. */
static size_t wa_watch_wait_epoll(wa_watch *w, int timeout)
{
    struct epoll_event *evs = w->events;
    size_t ready = 0;
    int i, n = epoll_wait(w->ep, evs, (int)w->cap, timeout);

    for (i = 0; i < n; i++) {
        w->ready[ready].fd = evs[i].data.fd;
        w->ready[ready].revents = wa_watch_revents(evs[i].events);
        ready++;
    }
    return ready;
}
#endif

static size_t wa_watch_wait_poll(wa_watch *w, int timeout)
{
    size_t i, ready = 0;
    int n = poll(w->fds, (nfds_t)w->n, timeout);

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

size_t wa_watch_wait(wa_watch *w, long timeout_ms)
{
    int timeout = timeout_ms > 0 ? (int)timeout_ms : 0;

    if (w->n == 0) {
        if (timeout > 0)
            poll(NULL, 0, timeout);
        return 0;
    }
#ifdef WA_WATCH_EPOLL
    if (w->epoll == 1)
        return wa_watch_wait_epoll(w, timeout);
#endif
    return wa_watch_wait_poll(w, timeout);
}
