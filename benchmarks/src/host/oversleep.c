/*
 * oversleep: how late the host wakes a sleeping thread, below the JVM (BENCHMARKS.md, "HTTP submit-and-wait",
 * session 9).
 *
 * What it measures: COUNT calls of nanosleep(SLEEP_US microseconds) in a loop on one thread; for each, the time
 * actually slept (CLOCK_MONOTONIC) minus SLEEP_US. That excess is the scheduler's and timer's wake-up delay,
 * which every timed or parked wait of the server and the load generator pays as well.
 *
 * Output (one line on stdout): p50, p90, p99, p99.9 and max of the excess in microseconds and the sample count.
 *
 * Usage: oversleep [COUNT [SLEEP_US]]   defaults 20000 and 500 (about 12 s on an idle host)
 * Exit code: 0 on success; 1 if out of memory; 2 on bad arguments.
 * Build: gcc -O2 -o oversleep oversleep.c (benchmarks/host-floor.sh does this).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "host_common.h"

int main(int argc, char **argv) {
    long count = argc > 1 ? atol(argv[1]) : 20000;
    long sleep_micros = argc > 2 ? atol(argv[2]) : 500;
    if (argc > 3 || count < 1 || count > 10000000 || sleep_micros < 1 || sleep_micros > 999999) {
        fprintf(stderr, "usage: oversleep [COUNT (1-10000000) [SLEEP_US (1-999999)]]\n");
        return 2;
    }
    long *excess = malloc((size_t) count * sizeof *excess);
    if (excess == NULL) {
        fprintf(stderr, "oversleep: out of memory for %ld samples\n", count);
        return 1;
    }
    struct timespec request = {0, sleep_micros * 1000L};
    for (long i = 0; i < count; i++) {
        long before = now_nanos();
        nanosleep(&request, NULL);
        excess[i] = now_nanos() - before - sleep_micros * 1000L;
    }
    qsort(excess, (size_t) count, sizeof *excess, compare_longs);
    printf("oversleep: nanosleep(%ld us) excess, us: p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f (n=%ld)\n",
           sleep_micros, excess[count / 2] / 1e3, excess[count * 9 / 10] / 1e3, excess[count * 99 / 100] / 1e3,
           excess[count * 999 / 1000] / 1e3, excess[count - 1] / 1e3, count);
    free(excess);
    return 0;
}
