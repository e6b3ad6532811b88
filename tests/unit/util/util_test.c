/* Unit tests for src/util: buffers, arenas, errors, confined paths, UTF-8, JSON quoting. */
#include <stdlib.h>

#include "test.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/json_escape.h"
#include "util/utf8.h"

TEST(buf_grows_and_stays_terminated)
{
	struct buf b = BUF_INIT;
	CHECK_STR(b.ptr, "");
	for (int i = 0; i < 1000; i++)
		buf_addf(&b, "%d,", i);
	CHECK(b.len > 1000);
	CHECK(b.ptr[b.len] == '\0');
	buf_release(&b);
	CHECK_STR(b.ptr, "");
}

TEST(buf_cap_is_sticky)
{
	struct buf b;
	buf_init(&b, 8);
	buf_adds(&b, "12345");
	buf_adds(&b, "6789");
	CHECK_INT(b.err, ERR_TOOBIG);
	CHECK_STR(b.ptr, "12345");
	buf_adds(&b, "x");
	CHECK_STR(b.ptr, "12345");
	buf_release(&b);
}

TEST(arena_allocates_zeroed_and_large_blocks)
{
	struct arena *a = arena_new();
	char *small = arena_alloc(a, 10);
	CHECK(small[0] == 0 && small[9] == 0);
	char *big = arena_alloc(a, 1 << 20);
	big[(1 << 20) - 1] = 'x';
	char *s = arena_sprintf(a, "%s-%d", "x", 42);
	CHECK_STR(s, "x-42");
	size_t cap = 0;
	int *arr = NULL;
	for (int i = 0; i < 100; i++) {
		arr = arena_grow(a, arr, &cap, (size_t)i + 1, sizeof(int));
		arr[i] = i;
	}
	CHECK_INT(arr[99], 99);
	CHECK_INT(arr[0], 0);
	/* unaligned byte blocks, packed and in blocks of their own */
	char *b1 = arena_alloc_bytes(a, 3), *b2 = arena_alloc_bytes(a, 5);
	memcpy(b1, "abc", 3);
	memcpy(b2, "defgh", 5);
	CHECK(b2 == b1 + 3 || b2 < b1 || b2 > b1 + 3);
	CHECK(!memcmp(b1, "abc", 3));
	char *bb = arena_alloc_bytes(a, 3 << 20);
	bb[0] = bb[(3 << 20) - 1] = 'y';
	arena_free(a);
}

TEST(errors_carry_messages)
{
	err_clear();
	CHECK_STR(err_msg(), "");
	int rc = err_set(ERR_NOTFOUND, "'%s': no such key", "x");
	CHECK_INT(rc, ERR_NOTFOUND);
	CHECK_STR(err_msg(), "'x': no such key");
	err_wrap(rc, "reading '%s'", "f.yaml");
	CHECK_STR(err_msg(), "reading 'f.yaml': 'x': no such key");
}

TEST(confined_join_refuses_escape)
{
	char *p = NULL;
	CHECK_INT(fs_join_confined(&p, "/root", "a/./b/../c"), 0);
	CHECK_STR(p, "/root/a/c");
	free(p);
	CHECK_INT(fs_join_confined(&p, "/root", "a/../../etc"), ERR_ESCAPE);
	CHECK(p == NULL);
	CHECK_INT(fs_join_confined(&p, "/root", "/etc/passwd"), ERR_ESCAPE);
	CHECK_INT(fs_join_confined(&p, "/root", ""), 0);
	CHECK_STR(p, "/root");
	free(p);
}

TEST(utf8_rejects_invalid)
{
	CHECK_INT(utf8_valid_prefix("\xc3\xa9", 2), 2);
	CHECK_INT(utf8_valid_prefix("\xc0\xaf", 2), 0);         /* overlong */
	CHECK_INT(utf8_valid_prefix("\xed\xa0\x80", 3), 0);     /* surrogate */
	CHECK_INT(utf8_valid_prefix("\xf4\x90\x80\x80", 4), 0); /* > U+10FFFF */
	char out[4];
	CHECK_INT(utf8_encode(0x1f600, out), 4);
	CHECK_INT(utf8_decode(out, 4), 0x1f600);
}

TEST(json_escape_quotes_and_replaces)
{
	struct buf b = BUF_INIT;
	json_escape(&b, "a\"b\\\n\x01\xff", 7);
	CHECK_STR(b.ptr, "\"a\\\"b\\\\\\n\\u0001\xef\xbf\xbd\"");
	buf_release(&b);
}

int main(void)
{
	RUN(buf_grows_and_stays_terminated);
	RUN(buf_cap_is_sticky);
	RUN(arena_allocates_zeroed_and_large_blocks);
	RUN(errors_carry_messages);
	RUN(confined_join_refuses_escape);
	RUN(utf8_rejects_invalid);
	RUN(json_escape_quotes_and_replaces);
	return test_done();
}
