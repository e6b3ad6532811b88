/*
 * Arena allocator: many small allocations released together. Document trees, one build,
 * one reconcile: allocate from an arena and free the arena when the unit of work ends.
 * Not thread-safe: an arena belongs to one thread at a time.
 */
#ifndef TIDE_UTIL_ARENA_H
#define TIDE_UTIL_ARENA_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct arena;

/* The free space of an arena's current chunk, the first member of struct arena, so that
 * the common allocations below are a bump of a pointer inlined at the call site. Not for
 * use outside the arena. */
struct arena_cursor {
	unsigned char *ptr, *end;
	size_t total; /* bytes handed out (arena_used) */
};

struct arena *arena_new(void);
/* Frees every allocation made from a, and a itself. NULL is allowed. */
void arena_free(struct arena *a);

/* Memory aligned for any type; never NULL (aborts on exhaustion). Zeroed. */
void *arena_alloc_slow(struct arena *a, size_t n);
static inline void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_cursor *c = (struct arena_cursor *)(void *)a;
	size_t need = (n + 15) & ~(size_t)15;
	uintptr_t p = ((uintptr_t)c->ptr + 15) & ~(uintptr_t)15;
	if (need && p <= (uintptr_t)c->end && (uintptr_t)c->end - p >= need) {
		c->ptr = (unsigned char *)(p + need);
		c->total += need;
		return memset((void *)p, 0, need);
	}
	return arena_alloc_slow(a, n);
}
/* Like arena_alloc, but aligned only for pointers and 8-byte integers (not long double or
 * vector types): for many small structs whose size is not a multiple of 16, such as
 * document nodes. */
void *arena_alloc8_slow(struct arena *a, size_t n);
static inline void *arena_alloc8(struct arena *a, size_t n)
{
	struct arena_cursor *c = (struct arena_cursor *)(void *)a;
	size_t need = (n + 7) & ~(size_t)7;
	uintptr_t p = ((uintptr_t)c->ptr + 7) & ~(uintptr_t)7;
	if (need && p <= (uintptr_t)c->end && (uintptr_t)c->end - p >= need) {
		c->ptr = (unsigned char *)(p + need);
		c->total += need;
		return memset((void *)p, 0, need);
	}
	return arena_alloc8_slow(a, n);
}
/* n bytes, not aligned and not zeroed: for text that is about to be written over whole (a
 * file read into the arena). */
char *arena_alloc_bytes(struct arena *a, size_t n);
/* A NUL-terminated copy of s[0..n) in a. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_sprintf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Grows an array held in the arena (the old block is abandoned, not freed). */
void *arena_grow(struct arena *a, void *p, size_t *cap, size_t want, size_t size);

/* Hands p (from malloc, or NULL) to a: it is freed with a. For big blocks built outside
 * the arena (a buffer's bytes), so they need not be copied in. */
void arena_own(struct arena *a, void *p);

/* Moves everything child holds into a (freed with a from now on) and frees child: what
 * another thread allocated for a's owner, handed over when it is done. */
void arena_adopt(struct arena *a, struct arena *child);

/* Bytes handed out so far (for caps and benchmarks). */
size_t arena_used(const struct arena *a);

#endif
