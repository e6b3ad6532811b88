/*
 * Bump allocator over a chain of chunks. Chunks double in size up to 1 MiB; an allocation
 * larger than a quarter of the chunk size gets a chunk of its own, so big blocks do not
 * waste the tail of the current one.
 */
#include "util/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

#define ALIGN 16
#define FIRST_CHUNK 4096
#define MAX_CHUNK (1u << 20)

struct chunk {
	struct chunk *next;
	size_t size;
	_Alignas(ALIGN) unsigned char data[];
};

struct owned {
	struct owned *next;
	void *p;
};

struct arena {
	struct arena_cursor cur; /* first: arena.h's inline allocations read it */
	struct chunk *head;      /* the chunk cur points into, then the others */
	struct owned *owned;
	size_t next_size;
};

struct arena *arena_new(void)
{
	struct arena *a = xcalloc(1, sizeof(*a));
	a->next_size = FIRST_CHUNK;
	return a;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	for (struct owned *o = a->owned; o; o = o->next)
		free(o->p);
	struct chunk *c = a->head;
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	free(a);
}

static struct chunk *new_chunk(size_t size)
{
	struct chunk *c = xmalloc(sizeof(*c) + size);
	c->size = size;
	c->next = NULL;
	return c;
}

/* Blocks of any size with the given alignment (a power of two, at most ALIGN): strings are
 * packed byte by byte, everything else is aligned for any type. Not zeroed. */
static void *alloc_raw(struct arena *a, size_t n, size_t align)
{
	if (n == 0)
		n = 1;
	a->cur.total += n;
	if (a->cur.end) {
		uintptr_t at = ((uintptr_t)a->cur.ptr + align - 1) & ~(uintptr_t)(align - 1);
		if (at <= (uintptr_t)a->cur.end && (uintptr_t)a->cur.end - at >= n) {
			a->cur.ptr = (unsigned char *)at + n;
			return (void *)at;
		}
	}
	if (n > a->next_size / 4) {
		/* A block of its own, linked behind the current chunk so that chunk stays in use. */
		struct chunk *big = new_chunk(n);
		struct chunk *c = a->head;
		if (c) {
			big->next = c->next;
			c->next = big;
		} else {
			a->head = big;
			a->cur.ptr = a->cur.end = big->data + n; /* full: the next chunk takes over */
		}
		return big->data;
	}
	struct chunk *c = new_chunk(a->next_size);
	if (a->next_size < MAX_CHUNK)
		a->next_size *= 2;
	c->next = a->head;
	a->head = c;
	a->cur.ptr = c->data + n;
	a->cur.end = c->data + c->size;
	return c->data;
}

static void *alloc_aligned(struct arena *a, size_t n, size_t align)
{
	void *p = alloc_raw(a, n, align);
	memset(p, 0, n ? n : 1);
	return p;
}

void arena_own(struct arena *a, void *p)
{
	if (!p)
		return;
	struct owned *o = alloc_raw(a, sizeof(*o), ALIGN);
	o->p = p;
	o->next = a->owned;
	a->owned = o;
}

void arena_adopt(struct arena *a, struct arena *child)
{
	if (!child)
		return;
	if (child->head) {
		struct chunk *last = child->head;
		while (last->next)
			last = last->next;
		/* behind a's current chunk, which stays the one a allocates from */
		if (a->head) {
			last->next = a->head->next;
			a->head->next = child->head;
		} else {
			a->head = child->head;
		}
	}
	if (child->owned) {
		struct owned *o = child->owned;
		while (o->next)
			o = o->next;
		o->next = a->owned;
		a->owned = child->owned;
	}
	a->cur.total += child->cur.total;
	free(child);
}

void *arena_alloc_slow(struct arena *a, size_t n)
{
	return alloc_aligned(a, (n + ALIGN - 1) & ~(size_t)(ALIGN - 1), ALIGN);
}

void *arena_alloc8_slow(struct arena *a, size_t n)
{
	return alloc_aligned(a, (n + 7) & ~(size_t)7, 8);
}

char *arena_alloc_bytes(struct arena *a, size_t n)
{
	return alloc_raw(a, n, 1);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = alloc_raw(a, n + 1, 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_sprintf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	char *p = alloc_aligned(a, (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void *arena_grow(struct arena *a, void *p, size_t *cap, size_t want, size_t size)
{
	if (want <= *cap)
		return p;
	size_t ncap = *cap ? *cap * 2 : 4;
	while (ncap < want)
		ncap *= 2;
	if (size && ncap > SIZE_MAX / size) {
		fprintf(stderr, "fatal: arena array too large\n");
		abort();
	}
	void *q = arena_alloc(a, ncap * size);
	if (p && *cap)
		memcpy(q, p, *cap * size);
	*cap = ncap;
	return q;
}

size_t arena_used(const struct arena *a)
{
	return a->cur.total;
}
