/*
 * pingpong: the host's loopback TCP floor, below the JVM (BENCHMARKS.md, "HTTP submit-and-wait", session 9).
 *
 * What it measures: the round trip of a 200-byte message over one loopback TCP connection (TCP_NODELAY on both
 * ends) between two processes, the client paced at RATE messages per second for SECONDS seconds. Each latency
 * is taken from the message's intended send time (t0 + i / RATE), not from the actual write, so a late wake-up
 * of the client counts against the host (open loop, the same correction as the HTTP generator). The client
 * sleeps with nanosleep until ~55 us before the send time and spins the rest.
 *
 * Output (client, one line on stdout): p50, p90, p99, p99.9 and max in microseconds and the sample count.
 *
 * Usage:
 *   pingpong server PORT                  echo 200-byte messages on 127.0.0.1:PORT for one connection, then exit
 *   pingpong client PORT RATE SECONDS     connect (retrying for up to 5 s), send RATE * SECONDS messages
 *
 * Exit code: 0 on success; 1 on a socket error (message on stderr); 2 on bad arguments.
 * Build: gcc -O2 -o pingpong pingpong.c (benchmarks/host-floor.sh does this).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MESSAGE_BYTES 200
#define SPIN_NANOS 55000L

#include "host_common.h"

/* Reads exactly MESSAGE_BYTES into buffer; returns 0, or -1 on end of stream or error. */
static int read_message(int fd, char *buffer) {
    int got = 0;
    while (got < MESSAGE_BYTES) {
        ssize_t k = read(fd, buffer + got, MESSAGE_BYTES - got);
        if (k <= 0) {
            return -1;
        }
        got += (int) k;
    }
    return 0;
}

/* Writes exactly MESSAGE_BYTES from buffer; returns 0, or -1 on error. */
static int write_message(int fd, const char *buffer) {
    int sent = 0;
    while (sent < MESSAGE_BYTES) {
        ssize_t k = write(fd, buffer + sent, MESSAGE_BYTES - sent);
        if (k <= 0) {
            return -1;
        }
        sent += (int) k;
    }
    return 0;
}

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((unsigned short) port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

static int run_server(int port) {
    int one = 1;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0) {
        perror("pingpong server: socket");
        return 1;
    }
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = loopback(port);
    if (bind(listener, (struct sockaddr *) &address, sizeof address) != 0 || listen(listener, 1) != 0) {
        perror("pingpong server: bind/listen");
        return 1;
    }
    int fd = accept(listener, NULL, NULL);
    if (fd < 0) {
        perror("pingpong server: accept");
        return 1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char buffer[MESSAGE_BYTES];
    while (read_message(fd, buffer) == 0) {
        if (write_message(fd, buffer) != 0) {
            break;
        }
    }
    close(fd);
    close(listener);
    return 0;
}

static int run_client(int port, int rate, int seconds) {
    int one = 1;
    int fd = -1;
    struct sockaddr_in address = loopback(port);
    for (int attempt = 0; attempt < 500; attempt++) { /* the server may still be starting: 5 s */
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *) &address, sizeof address) == 0) {
            break;
        }
        if (fd >= 0) {
            close(fd);
        }
        fd = -1;
        struct timespec pause = {0, 10000000L};
        nanosleep(&pause, NULL);
    }
    if (fd < 0) {
        perror("pingpong client: connect");
        return 1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    long count = (long) rate * seconds;
    long period = 1000000000L / rate;
    long *latency = malloc((size_t) count * sizeof *latency);
    if (latency == NULL) {
        fprintf(stderr, "pingpong client: out of memory for %ld samples\n", count);
        return 1;
    }
    char buffer[MESSAGE_BYTES];
    memset(buffer, 'x', sizeof buffer);
    long start = now_nanos();
    for (long i = 0; i < count; i++) {
        long due = start + i * period;
        long now;
        while ((now = now_nanos()) < due) {
            long left = due - now;
            if (left > SPIN_NANOS + 5000L) {
                struct timespec pause = {0, left - SPIN_NANOS};
                nanosleep(&pause, NULL);
            }
        }
        if (write_message(fd, buffer) != 0 || read_message(fd, buffer) != 0) {
            fprintf(stderr, "pingpong client: connection lost after %ld messages\n", i);
            return 1;
        }
        latency[i] = now_nanos() - due;
    }
    close(fd);
    qsort(latency, (size_t) count, sizeof *latency, compare_longs);
    printf("pingpong: loopback TCP %d B at %d/s, round trip from intended send, us: "
           "p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f (n=%ld)\n",
           MESSAGE_BYTES, rate, latency[count / 2] / 1e3, latency[count * 9 / 10] / 1e3,
           latency[count * 99 / 100] / 1e3, latency[count * 999 / 1000] / 1e3, latency[count - 1] / 1e3, count);
    free(latency);
    return 0;
}

static int usage(void) {
    fprintf(stderr, "usage: pingpong server PORT | pingpong client PORT RATE SECONDS\n");
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        return usage();
    }
    int port = atoi(argv[2]);
    if (port < 1 || port > 65535) {
        return usage();
    }
    if (strcmp(argv[1], "server") == 0 && argc == 3) {
        return run_server(port);
    }
    if (strcmp(argv[1], "client") == 0 && argc == 5) {
        int rate = atoi(argv[3]);
        int seconds = atoi(argv[4]);
        if (rate < 1 || rate > 1000000 || seconds < 1 || seconds > 3600) {
            return usage();
        }
        return run_client(port, rate, seconds);
    }
    return usage();
}
