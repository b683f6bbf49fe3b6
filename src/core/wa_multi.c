#include "wa_multi.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "wa_clock.h"
#include "wa_watch.h"

/* An easy handle with what its callbacks fill; reused from transfer to transfer. */
typedef struct wa_multi_slot {
    CURL *easy;
    wa_http_io io;
    unsigned long long generation; /* of the profile easy was last set up for; 0: none */
    struct wa_multi_slot *next_free;
} wa_multi_slot;

struct wa_multi_xfer {
    wa_multi_xfer *prev, *next;   /* in the list of its state (none when taken) */
    wa_xfer_state state;
    const wa_http_profile *profile;
    wa_http_request rq;
    wa_multi_slot *slot;          /* while running, done or taken after a start */
    curl_mime *form;              /* while running, for a multipart request */
    double due;                   /* monotonic seconds: not started before */
    CURLcode rc;
    int performed;                /* libcurl ran it: its info is about this attempt */
    void *ud;
};

typedef struct wa_list {
    wa_multi_xfer *head, *tail;
    size_t n;
} wa_list;

/* libcurl is driven by its socket interface: it tells which sockets to watch and when
 * its timer runs out, and is called for those alone. curl_multi_perform would visit
 * every running transfer, and poll each one's socket, at every round. */
struct wa_multi {
    CURLM *multi;
    int max_in_flight;
    int fixed_hosts;     /* the caller chose max_host_connections: kept as given */
    int max_streams;     /* HTTP/2 streams per connection (CURLMOPT_MAX_CONCURRENT_STREAMS) */
    int serial;          /* a transfer went without multiplexing: a connection each */
    wa_list queued, running, done;   /* queued: soonest due first */
    wa_multi_slot *free_slots;
    wa_watch watch;      /* the sockets libcurl wants watched */
    double timer_due;    /* monotonic seconds when libcurl's timer runs out; < 0: none */
};

static void wa_list_push(wa_list *l, wa_multi_xfer *x)
{
    x->next = NULL;
    x->prev = l->tail;
    if (l->tail != NULL)
        l->tail->next = x;
    else
        l->head = x;
    l->tail = x;
    l->n++;
}

/* Into the queue, which stays ordered by due time (equal times: first come, first
 * served). Most transfers are due at once, so the walk from the tail stops at once. */
static void wa_list_insert_due(wa_list *l, wa_multi_xfer *x)
{
    wa_multi_xfer *after = l->tail;

    while (after != NULL && after->due > x->due)
        after = after->prev;
    x->prev = after;
    x->next = after != NULL ? after->next : l->head;
    if (x->next != NULL)
        x->next->prev = x;
    else
        l->tail = x;
    if (after != NULL)
        after->next = x;
    else
        l->head = x;
    l->n++;
}

static void wa_list_remove(wa_list *l, wa_multi_xfer *x)
{
    if (x->prev != NULL)
        x->prev->next = x->next;
    else
        l->head = x->next;
    if (x->next != NULL)
        x->next->prev = x->prev;
    else
        l->tail = x->prev;
    x->prev = x->next = NULL;
    l->n--;
}

static wa_list *wa_multi_list(wa_multi *m, wa_xfer_state s)
{
    switch (s) {
    case WA_XFER_QUEUED:
        return &m->queued;
    case WA_XFER_RUNNING:
        return &m->running;
    case WA_XFER_DONE:
        return &m->done;
    case WA_XFER_TAKEN:
        break;
    }
    return NULL;
}

static void wa_multi_move(wa_multi *m, wa_multi_xfer *x, wa_xfer_state to)
{
    wa_list *from = wa_multi_list(m, x->state), *dest = wa_multi_list(m, to);
    if (from != NULL)
        wa_list_remove(from, x);
    if (dest != NULL && to == WA_XFER_QUEUED)
        wa_list_insert_due(dest, x);
    else if (dest != NULL)
        wa_list_push(dest, x);
    x->state = to;
}

static int wa_multi_on_socket(CURL *easy, curl_socket_t fd, int what, void *ud, void *socketp)
{
    wa_multi *m = ud;
    short events = 0;

    (void)easy;
    (void)socketp;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
        events |= POLLIN;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
        events |= POLLOUT;
    return wa_watch_set(&m->watch, (int)fd, events) == 0 ? 0 : -1;
}

static int wa_multi_on_timer(CURLM *multi, long timeout_ms, void *ud)
{
    wa_multi *m = ud;

    (void)multi;
    m->timer_due = timeout_ms < 0 ? -1 : wa_now() + (double)timeout_ms / 1000;
    return 0;
}

/* How many connections libcurl may open to one host, and keep. Unless the caller chose:
 * while every transfer seen was multiplexed (HTTPS, HTTP/2), enough for max_in_flight
 * streams at max_streams per connection. libcurl 7.88 would otherwise open a new
 * connection for each transfer that finds the others full, however many are still
 * connecting (161 connections for 1024 creates at 256 in flight, 158 of them serving one
 * request), and each costs a TLS handshake. Plain HTTP/1.1, or a server that does not
 * multiplex, needs one connection per transfer. */
static void wa_multi_limit_hosts(wa_multi *m, long chosen)
{
    long hosts = chosen;

    if (hosts <= 0 && m->serial)
        hosts = m->max_in_flight;
    else if (hosts <= 0)
        hosts = (m->max_in_flight + m->max_streams - 1) / m->max_streams;
    curl_multi_setopt(m->multi, CURLMOPT_MAX_HOST_CONNECTIONS, hosts);
    curl_multi_setopt(m->multi, CURLMOPT_MAXCONNECTS, hosts);
}

/* A transfer that cannot share its connection: from now on a connection each. */
static void wa_multi_went_serial(wa_multi *m)
{
    if (m->serial || m->fixed_hosts)
        return;
    m->serial = 1;
    wa_multi_limit_hosts(m, 0);
}

void wa_multi_set_max_streams(wa_multi *m, int max_streams)
{
    if (max_streams < 1)
        return;
    m->max_streams = max_streams;
    curl_multi_setopt(m->multi, CURLMOPT_MAX_CONCURRENT_STREAMS, (long)max_streams);
    if (!m->fixed_hosts)
        wa_multi_limit_hosts(m, 0);
}

wa_multi *wa_multi_new(int max_in_flight, int max_host_connections, const char **why)
{
    wa_multi *m;

    *why = "libcurl could not be initialised";
    if (max_in_flight < 1 || !wa_http_global_init())
        return NULL;
    m = calloc(1, sizeof *m);
    if (m == NULL) {
        *why = "out of memory";
        return NULL;
    }
    m->max_in_flight = max_in_flight;
    m->fixed_hosts = max_host_connections > 0;
    m->max_streams = WA_MULTI_DEFAULT_STREAMS;
    m->timer_due = -1;
    m->multi = curl_multi_init();
    if (m->multi == NULL) {
        free(m);
        return NULL;
    }
    /* Many requests on one connection where HTTP/2 is offered; otherwise one connection
     * per request; all kept in the multi handle's cache for the next requests. */
    curl_multi_setopt(m->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    curl_multi_setopt(m->multi, CURLMOPT_MAX_CONCURRENT_STREAMS, (long)m->max_streams);
    wa_multi_limit_hosts(m, max_host_connections);
    curl_multi_setopt(m->multi, CURLMOPT_SOCKETFUNCTION, wa_multi_on_socket);
    curl_multi_setopt(m->multi, CURLMOPT_SOCKETDATA, (void *)m);
    curl_multi_setopt(m->multi, CURLMOPT_TIMERFUNCTION, wa_multi_on_timer);
    curl_multi_setopt(m->multi, CURLMOPT_TIMERDATA, (void *)m);
    return m;
}

static void wa_multi_slot_free(wa_multi_slot *s)
{
    if (s->easy != NULL)
        curl_easy_cleanup(s->easy);
    wa_http_io_free(&s->io);
    free(s);
}

static void wa_multi_cancel_all(wa_multi *m, const wa_list *l)
{
    wa_multi_xfer *x, *next;

    for (x = l->head; x != NULL; x = next) {
        next = x->next;
        wa_multi_cancel(m, x);
    }
}

void wa_multi_free(wa_multi *m)
{
    if (m == NULL)
        return;
    wa_multi_cancel_all(m, &m->queued);
    wa_multi_cancel_all(m, &m->running);
    wa_multi_cancel_all(m, &m->done);
    curl_multi_cleanup(m->multi); /* may still tell which sockets to stop watching */
    wa_watch_free(&m->watch);
    while (m->free_slots != NULL) {
        wa_multi_slot *s = m->free_slots;
        m->free_slots = s->next_free;
        wa_multi_slot_free(s);
    }
    free(m);
}

wa_multi_xfer *wa_multi_submit(wa_multi *m, const wa_http_profile *p, const wa_http_request *rq,
                               double delay, void *ud)
{
    wa_multi_xfer *x = calloc(1, sizeof *x);

    if (x == NULL)
        return NULL;
    x->profile = p;
    x->rq = *rq;
    x->ud = ud;
    x->due = wa_now() + (delay > 0 ? delay : 0);
    x->state = WA_XFER_TAKEN; /* in no list yet */
    wa_multi_move(m, x, WA_XFER_QUEUED);
    return x;
}

static void wa_multi_release_slot(wa_multi *m, wa_multi_xfer *x)
{
    if (x->slot == NULL)
        return;
    wa_http_io_reset(&x->slot->io); /* gives a large answer's memory back */
    x->slot->next_free = m->free_slots;
    m->free_slots = x->slot;
    x->slot = NULL;
}

static void wa_multi_drop_form(wa_multi_xfer *x)
{
    if (x->form == NULL)
        return;
    if (x->slot != NULL)
        curl_easy_setopt(x->slot->easy, CURLOPT_MIMEPOST, (curl_mime *)NULL);
    curl_mime_free(x->form);
    x->form = NULL;
}

static wa_multi_slot *wa_multi_slot_get(wa_multi *m)
{
    wa_multi_slot *s = m->free_slots;

    if (s != NULL) {
        m->free_slots = s->next_free;
        s->next_free = NULL;
        return s;
    }
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    wa_http_io_init(&s->io);
    s->easy = curl_easy_init();
    if (s->easy == NULL) {
        wa_multi_slot_free(s);
        return NULL;
    }
    return s;
}

/* A transfer that could not start ends at once, as never sent. */
static void wa_multi_fail_start(wa_multi *m, wa_multi_xfer *x, CURLcode rc)
{
    wa_multi_drop_form(x);
    x->rc = rc;
    x->performed = 0;
    wa_multi_move(m, x, WA_XFER_DONE);
}

static void wa_multi_start(wa_multi *m, wa_multi_xfer *x)
{
    wa_multi_slot *s = wa_multi_slot_get(m);
    int https;

    if (s == NULL) {
        wa_multi_fail_start(m, x, CURLE_OUT_OF_MEMORY);
        return;
    }
    x->slot = s;
    if (wa_http_easy_setup_once(s->easy, x->profile, &s->io, &s->generation) != 0) {
        wa_multi_fail_start(m, x, CURLE_FAILED_INIT);
        return;
    }
    if (wa_http_easy_request(s->easy, &s->io, x->profile, &x->rq, &x->form) != 0) {
        wa_multi_fail_start(m, x, CURLE_OUT_OF_MEMORY);
        return;
    }
    /* Over TLS, wait for the first connection to say whether it multiplexes (HTTP/2)
     * rather than opening one connection per request; plain HTTP never does. */
    https = strncmp(x->rq.url, "https:", 6) == 0;
    if (!https)
        wa_multi_went_serial(m);
    curl_easy_setopt(s->easy, CURLOPT_PIPEWAIT, https ? 1L : 0L);
    curl_easy_setopt(s->easy, CURLOPT_PRIVATE, (void *)x);
    if (curl_multi_add_handle(m->multi, s->easy) != CURLM_OK) {
        wa_multi_fail_start(m, x, CURLE_FAILED_INIT);
        return;
    }
    x->performed = 1;
    wa_multi_move(m, x, WA_XFER_RUNNING);
}

/* Starts queued transfers that are due, soonest due first, while slots are free. */
static int wa_multi_start_due(wa_multi *m)
{
    double now;
    int started = 0;

    if (m->queued.head == NULL)
        return 0;
    now = wa_now();
    while (m->queued.head != NULL && m->queued.head->due <= now &&
           m->running.n < (size_t)m->max_in_flight) {
        wa_multi_start(m, m->queued.head);
        started++;
    }
    return started;
}

/* Milliseconds until the first queued transfer may start, if a slot is free; -1: none. */
static long wa_multi_next_due_ms(const wa_multi *m)
{
    double now;

    if (m->running.n >= (size_t)m->max_in_flight || m->queued.head == NULL)
        return -1;
    now = wa_now();
    return m->queued.head->due <= now ? 0 : (long)((m->queued.head->due - now) * 1000) + 1;
}

/* An HTTPS transfer that came back over HTTP/1.x: that server does not multiplex. */
static void wa_multi_note_version(wa_multi *m, CURL *easy, const wa_multi_xfer *x)
{
    long version = 0;

    if (m->serial || x->rc != CURLE_OK)
        return;
    curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
    if (version != CURL_HTTP_VERSION_2_0 && version != 0)
        wa_multi_went_serial(m);
}

/* Moves what libcurl finished to the done list; the connections go back to the cache. */
static void wa_multi_collect(wa_multi *m)
{
    CURLMsg *msg;
    int left;

    while ((msg = curl_multi_info_read(m->multi, &left)) != NULL) {
        CURL *easy = msg->easy_handle;
        CURLcode rc = msg->data.result;
        char *priv = NULL;
        wa_multi_xfer *x;

        if (msg->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
        x = (wa_multi_xfer *)(void *)priv;
        curl_multi_remove_handle(m->multi, easy); /* msg is invalid from here */
        x->rc = rc;
        wa_multi_note_version(m, easy, x);
        wa_multi_drop_form(x);
        wa_multi_move(m, x, WA_XFER_DONE);
    }
}

/* Milliseconds until libcurl's timer runs out (rounded up, never early); -1: none. */
static long wa_multi_timer_ms(const wa_multi *m)
{
    double left;

    if (m->timer_due < 0)
        return -1;
    left = m->timer_due - wa_now();
    return left <= 0 ? 0 : (long)(left * 1000) + 1;
}

static int wa_multi_select_mask(short revents)
{
    int mask = 0;

    if (revents & (POLLIN | POLLPRI | POLLHUP))
        mask |= CURL_CSELECT_IN;
    if (revents & POLLOUT)
        mask |= CURL_CSELECT_OUT;
    if (revents & (POLLERR | POLLNVAL))
        mask |= CURL_CSELECT_ERR;
    return mask;
}

/* Waits up to wait_ms (cut short by libcurl's timer) for a watched socket, lets libcurl
 * act on the sockets that are ready and on its timer when it ran out, and collects what
 * finished. */
static void wa_multi_react(wa_multi *m, long wait_ms)
{
    long timer = wa_multi_timer_ms(m);
    size_t i, ready;
    int still;

    if (timer >= 0 && timer < wait_ms)
        wait_ms = timer;
    ready = wa_watch_wait(&m->watch, wait_ms);
    for (i = 0; i < ready; i++) /* m->watch.ready is read afresh: acting may move it */
        curl_multi_socket_action(m->multi, (curl_socket_t)m->watch.ready[i].fd,
                                 wa_multi_select_mask(m->watch.ready[i].revents), &still);
    if (wa_multi_timer_ms(m) == 0)
        curl_multi_socket_action(m->multi, CURL_SOCKET_TIMEOUT, 0, &still);
    wa_multi_collect(m);
}

/* How long poll may wait: up to timeout_ms, less when a retry falls due sooner. */
static long wa_multi_wait_ms(const wa_multi *m, long timeout_ms)
{
    long due = wa_multi_next_due_ms(m);
    return due >= 0 && due < timeout_ms ? due : timeout_ms;
}

size_t wa_multi_poll(wa_multi *m, long timeout_ms)
{
    wa_multi_start_due(m);
    wa_multi_react(m, 0);
    if (m->done.n == 0 && timeout_ms > 0 && (m->running.n > 0 || m->queued.n > 0)) {
        long wait_ms = wa_multi_wait_ms(m, timeout_ms);
        if (m->running.n == 0)
            wa_sleep((double)wait_ms / 1000); /* only a retry's time to wait for */
        else
            wa_multi_react(m, wait_ms);
        wa_multi_kick(m);
    }
    return m->done.n;
}

void wa_multi_kick(wa_multi *m)
{
    if (wa_multi_start_due(m) > 0)
        wa_multi_react(m, 0);
}

wa_multi_xfer *wa_multi_take(wa_multi *m, wa_http_response *rs)
{
    wa_multi_xfer *x = m->done.head;

    if (x == NULL)
        return NULL;
    wa_multi_move(m, x, WA_XFER_TAKEN);
    if (x->slot != NULL)
        wa_http_easy_response(x->slot->easy, x->rc, &x->slot->io, x->performed, rs);
    else
        wa_http_easy_response(NULL, x->rc, NULL, 0, rs);
    return x;
}

void wa_multi_finish(wa_multi *m, wa_multi_xfer *x)
{
    wa_multi_release_slot(m, x);
    free(x);
}

void wa_multi_retry(wa_multi *m, wa_multi_xfer *x, double delay)
{
    wa_multi_release_slot(m, x);
    x->performed = 0;
    x->rc = CURLE_OK;
    x->due = wa_now() + (delay > 0 ? delay : 0);
    wa_multi_move(m, x, WA_XFER_QUEUED);
}

void wa_multi_cancel(wa_multi *m, wa_multi_xfer *x)
{
    if (x->state == WA_XFER_RUNNING)
        curl_multi_remove_handle(m->multi, x->slot->easy);
    wa_multi_drop_form(x);
    wa_multi_move(m, x, WA_XFER_TAKEN); /* out of every list */
    wa_multi_finish(m, x);
}

void *wa_multi_xfer_data(const wa_multi_xfer *x)
{
    return x->ud;
}

wa_xfer_state wa_multi_xfer_state(const wa_multi_xfer *x)
{
    return x->state;
}

size_t wa_multi_in_flight(const wa_multi *m)
{
    return m->queued.n + m->running.n + m->done.n;
}
