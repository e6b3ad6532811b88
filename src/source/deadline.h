/*
 * A deadline for blocking work on the calling thread that has no timeout of its own: libgit2
 * 1.5 has no per-operation timeout (GIT_OPT_SET_SERVER_TIMEOUT came in 1.7), and a server
 * that accepts a connection and never answers blocks its socket reads forever.
 *
 * Armed, a watchdog thread waits for the deadline; once it passes, it interrupts the armed
 * thread's blocking system calls (connect, poll, recv, send return EINTR) by sending it a
 * signal with a handler that does nothing and is installed without SA_RESTART, every 50 ms
 * until disarmed, so a call made after an interruption is interrupted too. The interrupted
 * work fails with its own error; the caller then reports the timeout instead.
 *
 *   struct source_deadline *d = source_deadline_arm(timeout_ms);
 *   rc = gitsrc_fetch(...);
 *   if (source_deadline_disarm(d)) rc = err_set(ERR_TIMEOUT, "... context deadline exceeded");
 *
 * The signal is SIGRTMIN + 3, reserved for this in tide.
 */
#ifndef TIDE_SOURCE_DEADLINE_H
#define TIDE_SOURCE_DEADLINE_H

#include <stdint.h>

struct source_deadline;

/* Starts the watchdog for the calling thread, timeout_ms from now (<= 0: no deadline, and
 * NULL is returned, which disarm accepts). */
struct source_deadline *source_deadline_arm(int64_t timeout_ms);

/* Stops and frees the watchdog (no signal is sent after it returns); returns whether the
 * deadline passed. d may be NULL. */
int source_deadline_disarm(struct source_deadline *d);

#endif
