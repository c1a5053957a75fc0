/*
 * C floor for the transport benchmarks: one-way latency (ping-pong, RTT/2) and batched throughput of 64-byte
 * messages over a Unix domain socket or TCP loopback, between two processes (fork). Same method as
 * notes/perf-limits.md. Build: gcc -O2 -Wall -Wextra -Werror -o socket_pingpong socket_pingpong.c
 * Usage: socket_pingpong uds|tcp lat|batch <count> [spin_us [epoll]]
 * spin_us (latency only): after each read, poll with MSG_DONTWAIT (yielding between polls) for up to spin_us
 * before a blocking read, the strategy of the Java link reader's read.spin.micros; the like-for-like floor for it.
 * epoll (latency only): instead of that blocking read, wait as the Java link's reader must: its socket is
 * non-blocking (its publishers write it directly and must never block), so it cannot block in read. Both sockets are
 * non-blocking; after the spin it reads, yields once and reads again (what the link's reader does at spin 0), then
 * waits in epoll_wait and reads. Named c-KIND-lat-64-spinN-epoll: the floor of the link's way of waiting, beside the
 * blocking floor, so a ratio splits what that way costs from what the link's own code costs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MSG 64
#define BATCH (64 * 1024)

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long spin_ns;
/* epoll mode: the reading end's epoll instance, or -1 for blocking reads (see the usage above). */
static int epoll_fd = -1;

/* The index of percentile q (0..100) among n sorted samples. */
static long at(long n, double q) {
    long i = (long) (q / 100.0 * (double) n);
    return i >= n ? n - 1 : i;
}

/* One read; with spin_ns > 0, polls without blocking (yielding the CPU between polls) before blocking. */
static ssize_t read_some(int fd, char *buf, size_t len) {
    if (spin_ns > 0) {
        long long deadline = now_ns() + spin_ns;
        do {
            ssize_t n = recv(fd, buf, len, MSG_DONTWAIT);
            if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                return n;
            }
            sched_yield();
        } while (now_ns() < deadline);
    }
    if (epoll_fd < 0) {
        return read(fd, buf, len);
    }
    for (int yielded = 0;; yielded = 1) {
        ssize_t n = read(fd, buf, len);
        if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            return n;
        }
        if (!yielded) {
            sched_yield();
            continue;
        }
        struct epoll_event ready;
        if (epoll_wait(epoll_fd, &ready, 1, -1) < 0 && errno != EINTR) {
            return -1;
        }
    }
}

/* One write; on a non-blocking socket that is full (never with one 64-byte message in flight), waits for room. */
static ssize_t write_some(int fd, const char *buf, size_t len) {
    for (;;) {
        ssize_t n = write(fd, buf, len);
        if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            return n;
        }
        struct pollfd room = {.fd = fd, .events = POLLOUT};
        poll(&room, 1, -1);
    }
}

/* epoll mode: makes fd non-blocking and waits for it in a new epoll instance; exits naming the call that failed. */
static void wait_in_epoll(int fd) {
    struct epoll_event event = {.events = EPOLLIN, .data.fd = fd};
    epoll_fd = epoll_create1(0);
    if (epoll_fd < 0 || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0
            || epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0) {
        perror("epoll mode");
        exit(1);
    }
}

static int full(int fd, char *buf, size_t len, int writing) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = writing ? write_some(fd, buf + done, len - done) : read_some(fd, buf + done, len - done);
        if (n <= 0) {
            return -1;
        }
        done += (size_t) n;
    }
    return 0;
}

static int cmp(const void *a, const void *b) {
    long long x = *(const long long *) a, y = *(const long long *) b;
    return (x > y) - (x < y);
}

static int listen_on(int uds, struct sockaddr_storage *addr, socklen_t *len) {
    int fd = socket(uds ? AF_UNIX : AF_INET, SOCK_STREAM, 0);
    memset(addr, 0, sizeof(*addr));
    if (uds) {
        struct sockaddr_un *un = (struct sockaddr_un *) addr;
        un->sun_family = AF_UNIX;
        snprintf(un->sun_path, sizeof(un->sun_path), "/tmp/mycelium-floor-%d.sock", (int) getpid());
        unlink(un->sun_path);
        *len = sizeof(*un);
    } else {
        struct sockaddr_in *in = (struct sockaddr_in *) addr;
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        *len = sizeof(*in);
    }
    if (bind(fd, (struct sockaddr *) addr, *len) != 0 || listen(fd, 1) != 0) {
        perror("bind/listen");
        exit(1);
    }
    getsockname(fd, (struct sockaddr *) addr, len);
    return fd;
}

static void nodelay(int fd, int uds) {
    int one = 1;
    if (!uds) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
}

int main(int argc, char **argv) {
    int epoll_mode = argc == 6 && strcmp(argv[5], "epoll") == 0;
    if ((argc < 4 || argc > 6) || (argc == 6 && !epoll_mode) || (epoll_mode && strcmp(argv[2], "lat") != 0)) {
        fprintf(stderr, "usage: %s uds|tcp lat|batch <count> [spin_us [epoll]] (epoll with lat only)\n", argv[0]);
        return 2;
    }
    int uds = strcmp(argv[1], "uds") == 0;
    int lat = strcmp(argv[2], "lat") == 0;
    long count = atol(argv[3]);
    long spin_us = argc >= 5 ? atol(argv[4]) : 0;
    const char *mode = epoll_mode ? "-epoll" : "";
    spin_ns = spin_us * 1000LL;
    struct sockaddr_storage addr;
    socklen_t len;
    int server = listen_on(uds, &addr, &len);
    static char buf[BATCH];
    memset(buf, 7, sizeof(buf));
    pid_t child = fork();
    if (child == 0) {
        int fd = accept(server, NULL, NULL);
        nodelay(fd, uds);
        if (epoll_mode) {
            wait_in_epoll(fd);
        }
        if (lat) {
            for (long i = 0; i < count; i++) {
                if (full(fd, buf, MSG, 0) || full(fd, buf, MSG, 1)) {
                    _exit(1);
                }
            }
        } else {
            long long bytes = 0, want = (long long) count * MSG;
            while (bytes < want) {
                ssize_t n = read(fd, buf, sizeof(buf));
                if (n <= 0) {
                    _exit(1);
                }
                bytes += n;
            }
            full(fd, buf, 1, 1);
        }
        _exit(0);
    }
    int fd = socket(uds ? AF_UNIX : AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *) &addr, len) != 0) {
        perror("connect");
        return 1;
    }
    nodelay(fd, uds);
    if (epoll_mode) {
        wait_in_epoll(fd);
    }
    if (lat) {
        long long *samples = malloc(sizeof(long long) * count);
        for (long i = 0; i < count; i++) {
            long long t0 = now_ns();
            if (full(fd, buf, MSG, 1) || full(fd, buf, MSG, 0)) {
                return 1;
            }
            samples[i] = (now_ns() - t0) / 2;
        }
        long warm = count / 5;
        qsort(samples + warm, count - warm, sizeof(long long), cmp);
        long n = count - warm;
        printf("c-%s-lat-64-spin%ld%s p50_ns=%lld p99_ns=%lld p999_ns=%lld\n", argv[1], spin_us, mode,
               samples[warm + n / 2], samples[warm + n * 99 / 100], samples[warm + n * 999 / 1000]);
        /* the result contract of mycelium bench (docs/benchmarks.md) */
        static const double levels[] = {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};
        static const char *const metrics[] = {"p50_ns", "p99_ns", "p999_ns"};
        static const double metric_levels[] = {50, 99, 99.9};
        char params[160];
        snprintf(params, sizeof(params), "{\"kind\":\"%s\",\"spin_us\":%ld,\"size\":%d,\"count\":%ld,\"wait\":\"%s\"}",
                 argv[1], spin_us, MSG, n, epoll_mode ? "epoll" : "read");
        for (int m = 0; m < 3; m++) {
            printf("RESULT {\"suite\":\"transport\",\"name\":\"c-%s-lat-64-spin%ld%s\",\"role\":\"floor\","
                   "\"metric\":\"%s\",\"value\":%lld,\"unit\":\"ns\",\"params\":%s}\n", argv[1], spin_us,
                   mode, metrics[m], samples[warm + at(n, metric_levels[m])], params);
        }
        printf("CURVE {\"suite\":\"transport\",\"name\":\"c-%s-lat-64-spin%ld%s\",\"role\":\"floor\",\"unit\":\"ns\","
               "\"points\":[", argv[1], spin_us, mode);
        for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); l++) {
            printf("%s[%g,%lld]", l ? "," : "", levels[l], samples[warm + at(n, levels[l])]);
        }
        printf("],\"params\":%s}\n", params);
    } else {
        long long t0 = now_ns(), sent = 0, want = (long long) count * MSG;
        while (sent < want) {
            long long chunk = want - sent < BATCH ? want - sent : BATCH;
            if (full(fd, buf, (size_t) chunk, 1)) {
                return 1;
            }
            sent += chunk;
        }
        full(fd, buf, 1, 0);
        double secs = (now_ns() - t0) / 1e9;
        printf("c-%s-batch-64 msgs_per_s=%.0f\n", argv[1], count / secs);
        printf("RESULT {\"suite\":\"transport\",\"name\":\"c-%s-batch-64\",\"role\":\"floor\","
               "\"metric\":\"msgs_per_s\",\"value\":%.0f,\"unit\":\"msg/s\","
               "\"params\":{\"kind\":\"%s\",\"size\":%d,\"count\":%ld,\"write_bytes\":%d}}\n",
               argv[1], count / secs, argv[1], MSG, count, BATCH);
    }
    waitpid(child, NULL, 0);
    if (uds) {
        unlink(((struct sockaddr_un *) &addr)->sun_path);
    }
    return 0;
}
