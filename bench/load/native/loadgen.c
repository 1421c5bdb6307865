/*
 * The benchmark's native load generator: one epoll thread keeps `depth` requests in flight on
 * each of `conns` connections to an ID server (overt-flake TCP frames or HTTP/1.1 keep-alive
 * `GET /v1/ids`), times each request from its write to the last byte of its answer, and checks
 * that the IDs on each connection are strictly increasing.
 *
 * Why C: a load generator in Node pays about what the server pays per request (event loop,
 * streams, syscalls), so on a 2-core machine it takes a whole core and the server cannot use
 * more than the other one. This costs the kernel's share and little else, as the Go load
 * generator behind the reference figures did. bench/load/NativeLoad.ts compiles it
 * (cc -O2) and drives it; `--load=node` in bench/server.ts uses the worker-thread one instead.
 *
 * With `--rate R` the load is open loop instead: R requests a second in all, sent on schedule
 * round-robin over the connections whether or not earlier answers have come (up to 64 in flight
 * per connection), each timed from when it was due, not when it went out, so a server that
 * stalls is charged for the requests that queued behind the stall (no coordinated omission).
 * That is how a requirement like "responses within 2 ms at 10k IDs/s" is measured.
 *
 * Protocol with the parent, one line each on stdout: `ready` once every connection is open; on
 * `start` (a line on stdin) warm up, print `window start`, measure, print `window end`, stop
 * sending, wait for the answers in flight, print the result as one JSON line.
 *
 *   loadgen --port P [--host 127.0.0.1] --proto tcp|http --count N --conns C --depth D
 *           --id-size S --warmup-ms W --duration-ms T [--drain-ms 2000] [--spin] [--rate R]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Latency histogram: 1 µs buckets up to 1 s; slower answers go in the last one (max is exact). */
#define BUCKETS 1000000
#define MAX_ID 16

static const char *host = "127.0.0.1";
static int port = 0, is_http = 0, count = 1, conns = 1, depth = 1, id_size = 8, spin = 0;
static long warmup_ms = 500, duration_ms = 2000, drain_ms = 2000;
static double rate = 0; /* open loop: requests per second in all; 0: closed loop */
#define OPEN_LOOP_SLOTS 64

static uint32_t *histogram;
static uint64_t samples, requests, ids_measured, violations, ids_checked, errors;
static double max_us;

enum phase { WARMUP, MEASURE, DRAIN };
static enum phase phase = WARMUP;

struct conn {
    int fd;
    int in_flight, head, open;
    double *sent_at; /* ring of `depth` send times, µs */
    /* tcp: bytes still due for the answer in progress; the ID being assembled; the last ID. */
    long answer_left;
    unsigned char id[MAX_ID], prev[MAX_ID];
    int id_len, has_prev;
    /* http: bytes received and not yet parsed; the last ID as text. */
    char *buf;
    size_t len, cap;
    char prev_text[64];
};

static struct conn *all;
static char *request_run; /* `depth` requests back to back: refilling k slots is one write */
static size_t request_len;

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void die(const char *what) {
    fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void send_all(struct conn *c, const char *bytes, size_t len) {
    while (len > 0) {
        ssize_t n = write(c->fd, bytes, len);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue; /* requests are tiny: never for long */
            errors++;
            c->open = 0;
            return;
        }
        bytes += n;
        len -= (size_t)n;
    }
}

static void fill(struct conn *c, double now) {
    int free_slots = depth - c->in_flight;
    if (free_slots <= 0 || phase == DRAIN || !c->open) return;
    for (int k = 0; k < free_slots; k++) c->sent_at[(c->head + c->in_flight + k) % depth] = now;
    c->in_flight += free_slots;
    send_all(c, request_run, request_len * (size_t)free_slots);
}

/* Open loop: one request on the next connection, timed from when it was due. */
static void send_due(double due) {
    static int next_conn = 0;
    struct conn *c = &all[next_conn];
    next_conn = (next_conn + 1) % conns;
    if (!c->open) return;
    if (c->in_flight == depth) { /* the server is that far behind: the request is lost */
        errors++;
        return;
    }
    c->sent_at[(c->head + c->in_flight) % depth] = due;
    c->in_flight++;
    send_all(c, request_run, request_len);
}

static void answered(struct conn *c, double now) {
    if (c->in_flight == 0) {
        errors++; /* an answer nobody asked for */
        return;
    }
    double us = now - c->sent_at[c->head];
    c->head = (c->head + 1) % depth;
    c->in_flight--;
    if (phase == MEASURE) {
        size_t bucket = us < 0 ? 0 : (size_t)us;
        histogram[bucket < BUCKETS ? bucket : BUCKETS - 1]++;
        if (us > max_us) max_us = us;
        samples++;
        requests++;
        ids_measured += (uint64_t)count;
    }
}

static void tcp_bytes(struct conn *c, const unsigned char *p, size_t n, double now) {
    int completed = 0;
    while (n > 0) {
        size_t take = (size_t)(id_size - c->id_len);
        if (take > n) take = n;
        memcpy(c->id + c->id_len, p, take);
        c->id_len += (int)take;
        p += take;
        n -= take;
        if (c->id_len == id_size) {
            if (c->has_prev && memcmp(c->id, c->prev, (size_t)id_size) <= 0) violations++;
            memcpy(c->prev, c->id, (size_t)id_size);
            c->has_prev = 1;
            c->id_len = 0;
            ids_checked++;
        }
        c->answer_left -= (long)take;
        if (c->answer_left == 0) {
            answered(c, now);
            completed++;
            c->answer_left = (long)count * id_size;
        }
    }
    if (completed > 0 && rate == 0) fill(c, now);
}

/* Decimal IDs without leading zeros, or fixed-width hex: longer, or as long and greater as text. */
static int text_greater(const char *a, size_t alen, const char *b) {
    size_t blen = strlen(b);
    if (alen != blen) return alen > blen;
    return memcmp(a, b, alen) > 0;
}

static void http_body(struct conn *c, const char *body, size_t len) {
    const char *end = body + len;
    const char *p = memchr(body, '[', len);
    int seen = 0;
    while (p != NULL && p < end) {
        const char *open = memchr(p, '"', (size_t)(end - p));
        if (open == NULL) break;
        const char *close = memchr(open + 1, '"', (size_t)(end - open - 1));
        if (close == NULL) break;
        size_t n = (size_t)(close - open - 1);
        if (n == 0 || n >= sizeof c->prev_text) {
            errors++;
            return;
        }
        if (c->prev_text[0] != 0 && !text_greater(open + 1, n, c->prev_text)) violations++;
        memcpy(c->prev_text, open + 1, n);
        c->prev_text[n] = 0;
        ids_checked++;
        seen++;
        p = close + 1;
    }
    if (seen == 0) errors++;
}

static void http_bytes(struct conn *c, const char *p, size_t n, double now) {
    if (c->len + n > c->cap) {
        c->cap = (c->len + n) * 2;
        c->buf = realloc(c->buf, c->cap);
        if (c->buf == NULL) die("realloc");
    }
    memcpy(c->buf + c->len, p, n);
    c->len += n;
    size_t used = 0;
    int completed = 0;
    for (;;) {
        char *start = c->buf + used;
        size_t avail = c->len - used;
        char *head_end = memmem(start, avail, "\r\n\r\n", 4);
        if (head_end == NULL) break;
        size_t head_len = (size_t)(head_end - start);
        long body_len = -1;
        for (char *line = memchr(start, '\n', head_len); line != NULL && line < head_end;
             line = memchr(line + 1, '\n', (size_t)(head_end - line - 1))) {
            if (strncasecmp(line + 1, "content-length:", 15) == 0) body_len = strtol(line + 16, NULL, 10);
        }
        if (body_len < 0) { /* a response without a length is not what this benchmark asks for */
            errors++;
            c->len = 0;
            return;
        }
        size_t total = head_len + 4 + (size_t)body_len;
        if (avail < total) break;
        if (strncmp(start, "HTTP/1.1 200 ", 13) != 0) errors++;
        else http_body(c, head_end + 4, (size_t)body_len);
        answered(c, now);
        completed++;
        used += total;
    }
    memmove(c->buf, c->buf + used, c->len - used);
    c->len -= used;
    if (completed > 0 && rate == 0) fill(c, now);
}

static int connect_one(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "loadgen: --host must be an IPv4 address, got %s\n", host);
        exit(2);
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("connect");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0) die("fcntl");
    return fd;
}

static double percentile_ms(double p) {
    if (samples == 0) return -1;
    uint64_t rank = (uint64_t)(p / 100.0 * (double)(samples - 1)), seen = 0;
    for (size_t b = 0; b < BUCKETS; b++) {
        seen += histogram[b];
        if (seen > rank) return (b + 0.5) / 1000.0; /* the bucket's middle */
    }
    return max_us / 1000.0;
}

static long arg_long(const char *name, const char *text, long min) {
    char *end;
    long value = strtol(text, &end, 10);
    if (*text == 0 || *end != 0 || value < min) {
        fprintf(stderr, "loadgen: %s must be a whole number >= %ld, got \"%s\"\n", name, min, text);
        exit(2);
    }
    return value;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *name = argv[i];
        if (strcmp(name, "--spin") == 0) { spin = 1; continue; }
        if (i + 1 >= argc) { fprintf(stderr, "loadgen: %s needs a value\n", name); return 2; }
        const char *value = argv[++i];
        if (strcmp(name, "--host") == 0) host = value;
        else if (strcmp(name, "--port") == 0) port = (int)arg_long(name, value, 1);
        else if (strcmp(name, "--proto") == 0) is_http = strcmp(value, "http") == 0;
        else if (strcmp(name, "--count") == 0) count = (int)arg_long(name, value, 1);
        else if (strcmp(name, "--conns") == 0) conns = (int)arg_long(name, value, 1);
        else if (strcmp(name, "--depth") == 0) depth = (int)arg_long(name, value, 1);
        else if (strcmp(name, "--id-size") == 0) id_size = (int)arg_long(name, value, 1);
        else if (strcmp(name, "--warmup-ms") == 0) warmup_ms = arg_long(name, value, 0);
        else if (strcmp(name, "--duration-ms") == 0) duration_ms = arg_long(name, value, 1);
        else if (strcmp(name, "--drain-ms") == 0) drain_ms = arg_long(name, value, 0);
        else if (strcmp(name, "--rate") == 0) rate = (double)arg_long(name, value, 1);
        else { fprintf(stderr, "loadgen: unknown option %s\n", name); return 2; }
    }
    if (port == 0 || id_size > MAX_ID) { fprintf(stderr, "loadgen: --port is required, --id-size at most 16\n"); return 2; }

    if (rate > 0) depth = OPEN_LOOP_SLOTS;
    char one_request[256];
    int one_len = is_http
        ? snprintf(one_request, sizeof one_request, "GET /v1/ids?count=%d HTTP/1.1\r\nHost: %s:%d\r\n\r\n", count, host, port)
        : 4;
    if (!is_http) {
        uint32_t be = htonl((uint32_t)count);
        memcpy(one_request, &be, 4);
    }
    request_len = (size_t)one_len;
    request_run = malloc(request_len * (size_t)depth);
    for (int k = 0; k < depth; k++) memcpy(request_run + k * request_len, one_request, request_len);
    histogram = calloc(BUCKETS, sizeof *histogram);
    all = calloc((size_t)conns, sizeof *all);
    if (request_run == NULL || histogram == NULL || all == NULL) die("calloc");

    int ep = epoll_create1(0);
    if (ep < 0) die("epoll_create1");
    for (int i = 0; i < conns; i++) {
        struct conn *c = &all[i];
        c->fd = connect_one();
        c->open = 1;
        c->sent_at = calloc((size_t)depth, sizeof(double));
        c->answer_left = (long)count * id_size;
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) die("epoll_ctl");
    }
    printf("ready\n");
    fflush(stdout);
    char line[64];
    if (fgets(line, sizeof line, stdin) == NULL || strncmp(line, "start", 5) != 0) return 0;

    double t0 = now_us(), window_start = 0, window_end = 0, drain_deadline = 0;
    double cpu_start = 0, cpu_end = 0;
    double interval = rate > 0 ? 1e6 / rate : 0, next_due = t0;
    if (rate == 0) for (int i = 0; i < conns; i++) fill(&all[i], t0);

    static unsigned char readbuf[256 * 1024];
    struct epoll_event events[256];
    for (;;) {
        double now = now_us();
        if (phase == WARMUP && now - t0 >= warmup_ms * 1000.0) {
            phase = MEASURE;
            window_start = now;
            cpu_start = cpu_seconds();
            printf("window start\n");
            fflush(stdout);
        } else if (phase == MEASURE && now - window_start >= duration_ms * 1000.0) {
            phase = DRAIN;
            window_end = now;
            cpu_end = cpu_seconds();
            drain_deadline = now + drain_ms * 1000.0;
            printf("window end\n");
            fflush(stdout);
        }
        if (phase == DRAIN) {
            int busy = 0;
            for (int i = 0; i < conns; i++) busy += all[i].open && all[i].in_flight > 0;
            if (busy == 0 || now >= drain_deadline) break;
        }
        if (rate > 0 && phase != DRAIN) {
            while (next_due <= now) {
                send_due(next_due);
                next_due += interval;
            }
        }
        /* Sleep until the next request is due (open loop), or for at most 1 ms. */
        double wait_us = spin ? 0 : rate > 0 && phase != DRAIN ? next_due - now : 1000;
        if (wait_us > 1000) wait_us = 1000;
        struct timespec timeout = {.tv_sec = 0, .tv_nsec = wait_us > 0 ? (long)(wait_us * 1000) : 0};
        int n = epoll_pwait2(ep, events, 256, &timeout, NULL);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        double at = n > 0 ? now_us() : now;
        for (int e = 0; e < n; e++) {
            struct conn *c = events[e].data.ptr;
            for (;;) {
                ssize_t got = read(c->fd, readbuf, sizeof readbuf);
                if (got > 0) {
                    if (is_http) http_bytes(c, (char *)readbuf, (size_t)got, at);
                    else tcp_bytes(c, readbuf, (size_t)got, at);
                    if ((size_t)got < sizeof readbuf) break;
                    continue;
                }
                if (got < 0 && (errno == EAGAIN || errno == EINTR)) break;
                /* The server closed or reset the connection: every request on it is lost. */
                if (c->open) errors++;
                c->open = 0;
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                break;
            }
        }
    }
    for (int i = 0; i < conns; i++) {
        if (all[i].open && all[i].in_flight > 0) errors++; /* unanswered at the drain deadline */
        close(all[i].fd);
    }
    double window_ms = (window_end - window_start) / 1000.0;
    printf("{\"requests\":%llu,\"ids\":%llu,\"windowMs\":%.3f,\"p50Ms\":%.4f,\"p99Ms\":%.4f,\"maxMs\":%.4f,"
           "\"violations\":%llu,\"idsChecked\":%llu,\"errors\":%llu,\"cpuSeconds\":%.6f}\n",
           (unsigned long long)requests, (unsigned long long)ids_measured, window_ms, percentile_ms(50),
           percentile_ms(99), max_us / 1000.0, (unsigned long long)violations, (unsigned long long)ids_checked,
           (unsigned long long)errors, cpu_end - cpu_start);
    return 0;
}
