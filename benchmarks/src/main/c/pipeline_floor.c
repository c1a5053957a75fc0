/*
 * C floor of a stream link's shape, for its batched throughput row: a publisher thread copies each 64-byte message
 * behind a 6-byte frame header (type id u16, payload length u32, little-endian: design/WIRE.md) into a byte ring, a
 * writer thread hands everything queued to a Unix stream socket with one write, and a reader in another process
 * reads 64 KiB at a time and walks the frame headers, checking each. These are the link's threads, bytes and
 * hand-offs, with no bus, no JVM and no bounds beyond the ring's size.
 *
 * socket_pingpong's batch floor writes one 64 KiB buffer over and over and reads without looking at it: a bandwidth
 * floor, with one cross-CPU copy per byte (the kernel's). This one adds what any stream link of this design pays:
 * each message is written into the ring by one thread and read out of it by another (a second cross-CPU move of
 * every line), and three busy threads share what CPUs there are. Its ratio to socket_pingpong's floor is the
 * shape's cost; a link's ratio to it is the cost of the link's own code. Both rows print the result contract of
 * `mycelium bench` (docs/benchmarks.md).
 *
 * Build: gcc -O2 -Wall -Wextra -Werror -pthread -o pipeline_floor pipeline_floor.c
 * Usage: pipeline_floor <count> [ring_bytes]   (ring_bytes: a power of two, default 8 MiB, as a link's grown ring)
 * An idle writer and a publisher facing a full ring yield the CPU between looks (the floor's best case: no park).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MSG 64
#define HEADER 6
#define FRAME (HEADER + MSG)
#define TYPE_ID 16
#define READ_BYTES (64 * 1024)

/* The ring: positions are absolute byte counts; the writer owns head, the publisher tail. */
static unsigned char *ring;
static long long ring_mask;
static _Atomic long long tail;
static _Atomic long long head;
static _Atomic int published_all;
static int out_fd;

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Writer thread: one write of everything queued (up to the ring's end), head moved past what the socket took. */
static void *writer(void *unused) {
    (void) unused;
    long long h = 0;
    while (1) {
        long long t = atomic_load_explicit(&tail, memory_order_acquire);
        if (t == h) {
            if (atomic_load(&published_all) && atomic_load(&tail) == h) {
                return NULL;
            }
            sched_yield();
            continue;
        }
        long long offset = h & ring_mask;
        long long length = t - h;
        if (offset + length > ring_mask + 1) {
            length = ring_mask + 1 - offset;
        }
        ssize_t n = write(out_fd, ring + offset, (size_t) length);
        if (n <= 0) {
            perror("pipeline_floor: write");
            exit(1);
        }
        h += n;
        atomic_store_explicit(&head, h, memory_order_release);
    }
}

/* Copies one frame to the ring at position t, split at the ring's end. */
static void put_frame(long long t, const unsigned char *frame) {
    long long offset = t & ring_mask;
    long long first = ring_mask + 1 - offset;
    if (first >= FRAME) {
        memcpy(ring + offset, frame, FRAME);
    } else {
        memcpy(ring + offset, frame, (size_t) first);
        memcpy(ring, frame + first, (size_t) (FRAME - first));
    }
}

/* Reader process: reads until count frames arrived, each header checked (a frame may span two reads). */
static int read_frames(int fd, long count) {
    static unsigned char buf[READ_BYTES + FRAME];
    long frames = 0;
    size_t carried = 0;
    while (frames < count) {
        ssize_t n = read(fd, buf + carried, READ_BYTES);
        if (n <= 0) {
            fprintf(stderr, "pipeline_floor: reader got %zd after %ld of %ld frames\n", n, frames, count);
            return 1;
        }
        size_t end = carried + (size_t) n, at = 0;
        for (; at + FRAME <= end; at += FRAME, frames++) {
            uint16_t type = (uint16_t) (buf[at] | buf[at + 1] << 8);
            uint32_t length = (uint32_t) buf[at + 2] | (uint32_t) buf[at + 3] << 8 | (uint32_t) buf[at + 4] << 16
                    | (uint32_t) buf[at + 5] << 24;
            if (type != TYPE_ID || length != MSG) {
                fprintf(stderr, "pipeline_floor: frame %ld has type %u length %u\n", frames, type, length);
                return 1;
            }
        }
        carried = end - at;
        memmove(buf, buf + at, carried);
    }
    return write(fd, "!", 1) == 1 ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: %s <count> [ring_bytes]\n", argv[0]);
        return 2;
    }
    long count = atol(argv[1]);
    long long ring_bytes = argc == 3 ? atoll(argv[2]) : 8LL << 20;
    if (count <= 0 || ring_bytes < 2 * FRAME || (ring_bytes & (ring_bytes - 1)) != 0) {
        fprintf(stderr, "%s: count must be positive and ring_bytes a power of two of at least %d\n", argv[0],
                2 * FRAME);
        return 2;
    }
    /* A reader that stops on a bad frame makes the writer's next write fail with EPIPE (said), not kill it. */
    signal(SIGPIPE, SIG_IGN);
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) {
        perror("socketpair");
        return 1;
    }
    pid_t child = fork();
    if (child == 0) {
        close(pair[0]);
        _exit(read_frames(pair[1], count));
    }
    close(pair[1]);
    out_fd = pair[0];
    ring = aligned_alloc(4096, (size_t) ring_bytes);
    memset(ring, 0, (size_t) ring_bytes);
    ring_mask = ring_bytes - 1;
    unsigned char frame[FRAME];
    memset(frame, 7, sizeof(frame));
    frame[0] = TYPE_ID;
    frame[1] = 0;
    frame[2] = MSG;
    frame[3] = frame[4] = frame[5] = 0;
    long long t0 = now_ns();
    pthread_t thread;
    if (pthread_create(&thread, NULL, writer, NULL) != 0) {
        perror("pthread_create");
        return 1;
    }
    long long t = 0, h = 0;
    for (long i = 0; i < count; i++) {
        /* The writer's head is read only when the cached one says the ring is full, as a link's producer does. */
        while (t + FRAME - h > ring_bytes) {
            h = atomic_load_explicit(&head, memory_order_acquire);
            if (t + FRAME - h > ring_bytes) {
                sched_yield();
            }
        }
        memcpy(frame + HEADER, &i, sizeof(i));
        put_frame(t, frame);
        t += FRAME;
        atomic_store_explicit(&tail, t, memory_order_release);
    }
    atomic_store(&published_all, 1);
    pthread_join(thread, NULL);
    char ack;
    int status = 0;
    if (read(out_fd, &ack, 1) != 1 || waitpid(child, &status, 0) != child || status != 0) {
        fprintf(stderr, "pipeline_floor: the reader failed (status %d)\n", status);
        return 1;
    }
    double secs = (now_ns() - t0) / 1e9;
    printf("c-uds-pipeline-64 msgs_per_s=%.0f\n", count / secs);
    printf("RESULT {\"suite\":\"transport\",\"name\":\"c-uds-pipeline-64\",\"role\":\"floor\","
           "\"metric\":\"msgs_per_s\",\"value\":%.0f,\"unit\":\"msg/s\","
           "\"params\":{\"kind\":\"uds\",\"size\":%d,\"count\":%ld,\"ring_bytes\":%lld}}\n",
           count / secs, MSG, count, ring_bytes);
    return 0;
}
