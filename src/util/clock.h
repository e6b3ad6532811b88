/*
 * Clocks: a monotonic millisecond clock for deadlines, backoff and durations, and the
 * RFC 3339 UTC timestamps Kubernetes writes (conditions' lastTransitionTime, Events,
 * artifacts' lastUpdateTime).
 */
#ifndef TIDE_UTIL_CLOCK_H
#define TIDE_UTIL_CLOCK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC in milliseconds: only differences mean anything. */
int64_t clock_mono_ms(void);

/* Sleeps ms milliseconds (restarted after signals). */
void clock_sleep_ms(int64_t ms);

/* Sleeps ms milliseconds in steps of at most 50, waking early once *stop is set (stop may be
 * NULL: never). Returns whether to go on: false when *stop is set. For retry loops of threads
 * that must stop promptly. */
bool clock_nap_ms(const atomic_int *stop, int64_t ms);

/* Writes t as "2006-01-02T15:04:05Z" (UTC, whole seconds) into out[0..n), NUL-terminated.
 * 21 bytes hold it. Returns out. */
char *clock_rfc3339(char *out, size_t n, time_t t);

#endif
