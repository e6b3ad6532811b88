/*
 * Growable byte buffer. `ptr` is never NULL and always NUL-terminated, so a buffer can be
 * handed to string functions at any time. A buffer may carry a cap (`max`): appends that
 * would pass it are dropped and set the sticky `err` to ERR_TOOBIG, so untrusted input can
 * not grow a buffer without bound and callers check once, at the end.
 *
 *   struct buf b = BUF_INIT;
 *   buf_addf(&b, "%s/%s", ns, name);
 *   ... use b.ptr, b.len ...
 *   buf_release(&b);
 */
#ifndef TIDE_UTIL_BUF_H
#define TIDE_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *ptr;
	size_t len;
	size_t cap; /* 0 while ptr points at the shared empty string */
	size_t max; /* 0 = no cap */
	int err;    /* 0, or ERR_TOOBIG once an append was refused */
};

extern char buf_empty[];
#define BUF_INIT { buf_empty, 0, 0, 0, 0 }

void buf_init(struct buf *b, size_t max);
/* Frees the storage and re-initialises b (keeping its cap). */
void buf_release(struct buf *b);
/* Empties b, keeping its storage. */
void buf_reset(struct buf *b);
/* Returns the heap string (caller frees) and re-initialises b. */
char *buf_detach(struct buf *b, size_t *len);

/* Room for n more bytes now, so that appends up to that size do not reallocate. */
void buf_reserve(struct buf *b, size_t n);
void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends n copies of c. */
void buf_addnch(struct buf *b, char c, size_t n);

/* A non-owning view of bytes. */
struct slice {
	const char *ptr;
	size_t len;
};

#endif
