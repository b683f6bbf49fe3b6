/* What it measures: the physical limit of one `create` call over keep-alive, a plain C
 * loop on one reused libcurl easy handle sending exactly what lua-whatsapp-groups sends
 * (same method, path, headers and JSON body; the answer collected and its status checked,
 * nothing parsed). The body goes as CURLOPT_POSTFIELDS, which libcurl sends with the
 * headers in one send(); with the mode `read` it is handed over by a CURLOPT_READFUNCTION
 * instead, as the library's transport once did, which libcurl sends in a second send().
 * With the mode `minimal` it sends only Authorization and Content-Type (no Accept,
 * User-Agent or Accept-Encoding): the least a create needs.
 *
 * Usage: raw_libcurl BASE_URL CALLS [WARMUP [post|read|minimal]]
 * Prints one line: calls, wall seconds, CPU seconds (tab separated). CPU is the process
 * CPU time, user + system, from clock_gettime(CLOCK_PROCESS_CPUTIME_ID), the clock Lua's
 * os.clock() reads through glibc's clock(). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOKEN "test-token"
#define PHONE "106540352242922"
#define BODY "{\"subject\":\"Bench group\",\"messaging_product\":\"whatsapp\"," \
             "\"description\":\"created by bench\"}"

typedef struct answer {
    char data[4096];
    size_t len;
    size_t sent; /* bytes of BODY the read callback handed over */
} answer;

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    answer *a = ud;
    size_t len = size * n;

    if (len > sizeof a->data - a->len)
        return 0;
    memcpy(a->data + a->len, data, len);
    a->len += len;
    return len;
}

static size_t on_read(char *out, size_t size, size_t n, void *ud)
{
    answer *a = ud;
    size_t left = sizeof BODY - 1 - a->sent, take = size * n < left ? size * n : left;

    memcpy(out, BODY + a->sent, take);
    a->sent += take;
    return take;
}

static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One create; exits on any failure, so a broken run never reports a time. */
static void call(CURL *e, answer *a)
{
    long status = 0;
    CURLcode rc;

    a->len = 0;
    a->sent = 0;
    rc = curl_easy_perform(e);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK || status != 200 || a->len == 0) {
        fprintf(stderr, "raw_libcurl: %s, HTTP %ld: %.*s\n", curl_easy_strerror(rc), status,
                (int)a->len, a->data);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    static answer a;
    char url[512];
    long calls, warmup, i;
    int read_mode, minimal;
    double wall, cpu;
    CURL *e;
    struct curl_slist *headers = NULL;

    if (argc < 3) {
        fprintf(stderr, "usage: %s BASE_URL CALLS [WARMUP [post|read|minimal]]\n", argv[0]);
        return 2;
    }
    calls = strtol(argv[2], NULL, 10);
    warmup = argc > 3 ? strtol(argv[3], NULL, 10) : 20;
    read_mode = argc > 4 && strcmp(argv[4], "read") == 0;
    minimal = argc > 4 && strcmp(argv[4], "minimal") == 0;
    snprintf(url, sizeof url, "%s/v24.0/" PHONE "/groups", argv[1]);

    curl_global_init(CURL_GLOBAL_DEFAULT);
    e = curl_easy_init();
    headers = curl_slist_append(headers, "Authorization: Bearer " TOKEN);
    if (!minimal) {
        headers = curl_slist_append(headers, "Accept: application/json");
        headers = curl_slist_append(headers, "Expect:");
    }
    headers = curl_slist_append(headers, "Content-Type: application/json");
    if (e == NULL || headers == NULL)
        return 1;
    /* The options the library sets on its handle. */
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    if (!minimal) {
        curl_easy_setopt(e, CURLOPT_USERAGENT, "lua-whatsapp-groups/0.1.0");
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    }
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(sizeof BODY - 1));
    if (read_mode) {
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(e, CURLOPT_READDATA, &a);
    } else {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, BODY);
    }
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &a);

    for (i = 0; i < warmup; i++)
        call(e, &a);
    wall = seconds(CLOCK_MONOTONIC);
    cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
    for (i = 0; i < calls; i++)
        call(e, &a);
    cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu;
    wall = seconds(CLOCK_MONOTONIC) - wall;
    printf("%ld\t%.6f\t%.6f\n", calls, wall, cpu);

    curl_easy_cleanup(e);
    curl_slist_free_all(headers);
    curl_global_cleanup();
    return 0;
}
