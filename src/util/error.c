/*
 * Thread-local error message storage. The message buffer is fixed-size: a message longer
 * than it is cut, never allocated, so reporting an error can not fail itself.
 */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "util/banned.h"

static _Thread_local char message[1024];

/* Formats into a scratch buffer first: callers may pass err_msg() itself as an argument
 * ("...: %s", err_msg()), which vsnprintf must not read while writing the same buffer. */
int err_set(int code, const char *fmt, ...)
{
	char next[sizeof(message)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(next, sizeof(next), fmt, ap);
	va_end(ap);
	memcpy(message, next, sizeof(message));
	return code;
}

int err_wrap(int code, const char *fmt, ...)
{
	char prefix[512], old[sizeof(message)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, message, sizeof(old));
	/* Truncation is intended: a message is cut rather than allocated. */
	size_t n = strlen(prefix);
	if (n > sizeof(message) - 1)
		n = sizeof(message) - 1;
	memcpy(message, prefix, n);
	if (old[0] && n + 2 < sizeof(message)) {
		memcpy(message + n, ": ", 2);
		n += 2;
		size_t m = strnlen(old, sizeof(message) - 1 - n);
		memcpy(message + n, old, m);
		n += m;
	}
	message[n] = '\0';
	return code;
}

const char *err_msg(void)
{
	return message;
}

void err_clear(void)
{
	message[0] = '\0';
}

const char *err_name(int code)
{
	switch (code) {
	case ERR_OK: return "ok";
	case ERR_NOTFOUND: return "not found";
	case ERR_CONFLICT: return "conflict";
	case ERR_GONE: return "gone";
	case ERR_INVALID: return "invalid";
	case ERR_TOOBIG: return "too big";
	case ERR_AUTH: return "unauthorized";
	case ERR_TIMEOUT: return "timeout";
	case ERR_UNAVAIL: return "unavailable";
	case ERR_IO: return "i/o error";
	case ERR_ESCAPE: return "path escapes its root";
	case ERR_UNSUPPORTED: return "unsupported";
	default: return "error";
	}
}
