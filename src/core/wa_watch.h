/* The sockets libcurl asks the pump to watch (CURLMOPT_SOCKETFUNCTION). On Linux they are
 * registered with epoll, so a wait costs the kernel only the sockets that are ready, not
 * every socket watched (poll(2) walks them all, each time); elsewhere, or when epoll
 * cannot be had, one pollfd array for poll(2). Either way a socket's entry is found by
 * its number, not by a search. Waiting fills a separate list of the sockets found ready,
 * so that acting on one (which may change the watched set) does not disturb the rest of
 * the round. Knows nothing of libcurl. */
#ifndef WA_WATCH_H
#define WA_WATCH_H

#include <poll.h>
#include <stddef.h>

typedef struct wa_watch_ready {
    int fd;
    short revents;  /* POLLIN, POLLOUT, POLLERR, POLLHUP, as poll(2) reports them */
} wa_watch_ready;

/* What is known of one socket number. */
typedef struct wa_watch_entry {
    short events;   /* watched for (0: not watched) */
    size_t pos;     /* its place in fds (poll(2) only) */
} wa_watch_entry;

typedef struct wa_watch {
    wa_watch_entry *by_fd;   /* indexed by socket number, nfd of them */
    size_t nfd;
    size_t n;                /* sockets watched */
    wa_watch_ready *ready;   /* filled by wa_watch_wait; cap slots */
    size_t cap;
    int epoll;               /* 1: ep is an epoll instance; -1: poll(2); 0: not chosen yet */
    int ep;
    struct pollfd *fds;      /* poll(2) only: the watched sockets, n of cap */
    void *events;            /* epoll only: cap struct epoll_event for epoll_wait */
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
