/* Growable, optionally capped byte buffers (see buf.h). */
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

char buf_empty[1];

void buf_init(struct buf *b, size_t max)
{
	b->ptr = buf_empty;
	b->len = b->cap = 0;
	b->max = max;
	b->err = 0;
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->ptr);
	buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->ptr[0] = '\0';
	b->err = 0;
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->cap ? b->ptr : xstrdup("");
	if (len)
		*len = b->len;
	buf_init(b, b->max);
	return p;
}

/* Makes room for n more bytes plus the terminator; 0 when the cap refuses. */
static int reserve(struct buf *b, size_t n)
{
	if (b->err)
		return 0;
	if (b->max && (n > b->max || b->len > b->max - n)) {
		b->err = ERR_TOOBIG;
		return 0;
	}
	size_t want = b->len + n + 1;
	if (want > b->cap) {
		size_t cap = b->cap;
		char *p = xgrow(cap ? b->ptr : NULL, &cap, want, 1);
		if (!b->cap)
			p[0] = '\0';
		b->ptr = p;
		b->cap = cap;
	}
	return 1;
}

void buf_reserve(struct buf *b, size_t n)
{
	reserve(b, n);
}

void buf_add(struct buf *b, const void *data, size_t n)
{
	if (!n || !reserve(b, n))
		return;
	memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addch(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_addnch(struct buf *b, char c, size_t n)
{
	if (!n || !reserve(b, n))
		return;
	memset(b->ptr + b->len, c, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	/* Into the free space first: most calls fit, and then the format runs once. */
	size_t room = b->cap && !b->err ? b->cap - b->len : 0;
	int n = vsnprintf(room ? b->ptr + b->len : NULL, room, fmt, cp);
	va_end(cp);
	if (n > 0 && (size_t)n < room && (!b->max || (size_t)n <= b->max - b->len)) {
		b->len += (size_t)n;
		return;
	}
	if (room)
		b->ptr[b->len] = '\0';
	if (n <= 0 || !reserve(b, (size_t)n))
		return;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}
