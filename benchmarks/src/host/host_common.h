/* Helpers shared by oversleep.c and pingpong.c (benchmarks/host-floor.sh): a monotonic clock in nanoseconds and
 * the comparator that sorts the latency samples before the percentiles are read. */
#ifndef VOXROUTE_HOST_COMMON_H
#define VOXROUTE_HOST_COMMON_H

#include <time.h>

/* CLOCK_MONOTONIC in nanoseconds (not wall time; only differences mean anything). */
static inline long now_nanos(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* qsort comparator for longs, ascending. */
static inline int compare_longs(const void *a, const void *b) {
    long x = *(const long *) a, y = *(const long *) b;
    return x < y ? -1 : x > y;
}

#endif
