/*
 * What one cache line costs to cross between two CPUs: two threads pinned to the first two CPUs this process may
 * run on hand one line back and forth (each waits for the other's store, then stores), and the one-way time is half a
 * round trip. Every cross-thread hand-off of the links pays at least this per line it moves (a frame's bytes, a
 * position, a flag), and on a virtual machine it changes with where the host runs the two vCPUs: about 60-80 ns
 * when they share a physical core or cache, 200 ns and more when they do not. The transport suites print it
 * first, so a run's ratios can be read against the machine state they were measured in.
 * Build: gcc -O2 -Wall -Wextra -Werror -pthread -o cacheline_pingpong cacheline_pingpong.c
 * Usage: cacheline_pingpong <round trips per round> <suite>
 * Prints the median of 5 rounds; with fewer than two CPUs it says so and prints no result (two threads spinning on
 * one CPU would measure time slices).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ROUNDS 5

static _Alignas(128) atomic_long line;
static long trips;
static int cpus[2];

static int pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *answer(void *unused) {
    (void) unused;
    if (pin(cpus[1]) != 0) {
        perror("pinning the second thread");
        exit(1);
    }
    for (long r = 0; r < ROUNDS; r++) {
        for (long i = 0; i < trips; i++) {
            const long mine = 2 * (r * trips + i) + 2;
            while (atomic_load_explicit(&line, memory_order_acquire) != mine - 1) {
            }
            atomic_store_explicit(&line, mine, memory_order_release);
        }
    }
    return NULL;
}

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int by_value(const void *a, const void *b) {
    const double x = *(const double *) a;
    const double y = *(const double *) b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 3 || (trips = atol(argv[1])) <= 0) {
        fprintf(stderr, "usage: %s <round trips per round> <suite>\n", argv[0]);
        return 2;
    }
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) {
        perror("sched_getaffinity");
        return 1;
    }
    int found = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && found < 2; cpu++) {
        if (CPU_ISSET(cpu, &allowed)) {
            cpus[found++] = cpu;
        }
    }
    if (found < 2) {
        printf("c-cacheline-one-way skipped: this process may run on one CPU only\n");
        return 0;
    }
    if (pin(cpus[0]) != 0) {
        perror("pinning the first thread");
        return 1;
    }
    pthread_t other;
    if (pthread_create(&other, NULL, answer, NULL) != 0) {
        perror("pthread_create");
        return 1;
    }
    double one_way[ROUNDS];
    for (long r = 0; r < ROUNDS; r++) {
        const long long start = now_ns();
        for (long i = 0; i < trips; i++) {
            const long mine = 2 * (r * trips + i) + 1;
            atomic_store_explicit(&line, mine, memory_order_release);
            while (atomic_load_explicit(&line, memory_order_acquire) != mine + 1) {
            }
        }
        one_way[r] = (now_ns() - start) / (2.0 * trips);
    }
    pthread_join(other, NULL);
    qsort(one_way, ROUNDS, sizeof(one_way[0]), by_value);
    const double median = one_way[ROUNDS / 2];
    printf("c-cacheline-one-way ns=%.1f (rounds: %.1f .. %.1f)\n", median, one_way[0], one_way[ROUNDS - 1]);
    printf("RESULT {\"suite\":\"%s\",\"name\":\"c-cacheline-one-way\",\"role\":\"floor\",\"metric\":\"mean_ns\","
           "\"value\":%.1f,\"unit\":\"ns\",\"params\":{\"cpus\":\"%d,%d\",\"round_trips\":%ld,\"rounds\":%d}}\n",
           argv[2], median, cpus[0], cpus[1], trips, ROUNDS);
    return 0;
}
