/*
 * Errors: every fallible function in tide returns an int, 0 on success or one of the
 * negative codes below, and sets a thread-local message once, where the failure is seen.
 * Callers pass the code up without rewrapping the message; entry points (a CLI command,
 * a reconcile, an HTTP handler) call err_clear() first and report err_msg() at the end.
 *
 * Messages are lowercase, without a full stop, with the subject in quotes:
 *   return err_set(ERR_INVALID, "'%s': expected a mapping at line %d", name, line);
 *
 * Codes are stable: never renumber or reuse one.
 */
#ifndef TIDE_UTIL_ERROR_H
#define TIDE_UTIL_ERROR_H

enum {
	ERR_OK = 0,
	ERR_GENERIC = -1,   /* anything not covered below */
	ERR_NOTFOUND = -2,  /* a file, object, key or kind that does not exist */
	ERR_CONFLICT = -3,  /* 409, or an object owned by someone else */
	ERR_GONE = -4,      /* 410: a watch's resourceVersion expired */
	ERR_INVALID = -5,   /* malformed input, or input rejected by the API server */
	ERR_TOOBIG = -6,    /* a cap was hit: size, depth, count, alias expansion */
	ERR_AUTH = -7,      /* 401/403, bad credentials, TLS peer not trusted */
	ERR_TIMEOUT = -8,   /* a deadline passed */
	ERR_UNAVAIL = -9,   /* connection refused, DNS, 5xx after retries */
	ERR_IO = -10,       /* a local read or write failed */
	ERR_ESCAPE = -11,   /* a path that would leave its root */
	ERR_UNSUPPORTED = -12,
};

/* Sets the thread's message (printf-style) and returns code, for `return err_set(...)`. The
 * arguments may include err_msg() itself, to wrap the message in more context. */
int err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefixes the current message with "<prefix>: " and returns code. For context that only
 * the caller knows (the file name around a parser error); use sparingly. */
int err_wrap(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The thread's last message; "" when none. Borrowed: valid until the next err_* call. */
const char *err_msg(void);

/* A short lowercase name for a code ("not found", "conflict", ...). */
const char *err_name(int code);

void err_clear(void);

#endif
