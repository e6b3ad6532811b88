/*
 * Go durations, as Flux's API fields (spec.interval, spec.timeout, spec.retryInterval) and
 * flags (--requeue-dependency) write them: "1m30s", "10m", "1h", "500ms", "1.5h", "2h45m".
 * Units ns, us (and µs), ms, s, m, h; an optional sign; "0" alone. Values are held in
 * milliseconds (what the runtime schedules with); sub-millisecond parts are truncated.
 */
#ifndef TIDE_UTIL_DURATION_H
#define TIDE_UTIL_DURATION_H

#include <stddef.h>
#include <stdint.h>

/* Parses s as Go's time.ParseDuration does. ERR_INVALID (`time: invalid duration "x"`, as
 * Go words it) when malformed; ERR_TOOBIG when it overflows int64 nanoseconds. */
int duration_parse(const char *s, int64_t *out_ms);

/* Writes ms as Go's Duration.String() would ("1m30s", "1h0m0s", "500ms", "0s") into
 * out[0..n), NUL-terminated, truncating if n is too small. Returns out. */
char *duration_format(char *out, size_t n, int64_t ms);

/* d plus a random jitter in [0, d * fraction), for requeues at spec.interval so objects
 * created together do not reconcile in lockstep (fraction 0.05 is what the manager uses). */
int64_t rt_duration_jitter(int64_t d_ms, double fraction);

#endif
