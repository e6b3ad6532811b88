/*
 * A tiny unit-test harness. Each test file is one program:
 *
 *   #include "test.h"
 *   TEST(parses_empty) { CHECK(x == 0); CHECK_STR(got, "want"); }
 *   int main(void) { RUN(parses_empty); return test_done(); }
 *
 * Prints "ok - <file>: <test>" or "not ok - ..." per test with the failed checks, then a
 * summary line that scripts/test adds up. A test stops at its first failed REQUIRE; CHECKs
 * record the failure and go on. Shared set-up (temporary trees, YAML, HTTP, ports, a fake
 * reconcile for runtime tests) is in fixture.h.
 */
#ifndef TIDE_TEST_H
#define TIDE_TEST_H

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

static int test_passed, test_failed, test_cur_failed;
static jmp_buf test_jmp;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                                         \
	do {                                                                                \
		if (!(cond)) {                                                              \
			test_cur_failed = 1;                                                \
			fprintf(stdout, "#   %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                           \
	} while (0)

#define REQUIRE(cond)                                                                       \
	do {                                                                                \
		if (!(cond)) {                                                              \
			test_cur_failed = 1;                                                \
			fprintf(stdout, "#   %s:%d: required: %s\n", __FILE__, __LINE__, #cond); \
			longjmp(test_jmp, 1);                                               \
		}                                                                           \
	} while (0)

#define CHECK_STR(got, want)                                                                \
	do {                                                                                \
		const char *g_ = (got), *w_ = (want);                                       \
		if (!g_ || !w_ || strcmp(g_, w_) != 0) {                                    \
			test_cur_failed = 1;                                                \
			fprintf(stdout, "#   %s:%d: %s\n#   got:  [%s]\n#   want: [%s]\n", __FILE__, \
				__LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");     \
		}                                                                           \
	} while (0)

#define CHECK_INT(got, want)                                                                \
	do {                                                                                \
		long long g_ = (long long)(got), w_ = (long long)(want);                    \
		if (g_ != w_) {                                                             \
			test_cur_failed = 1;                                                \
			fprintf(stdout, "#   %s:%d: %s: got %lld, want %lld\n", __FILE__, __LINE__, \
				#got, g_, w_);                                              \
		}                                                                           \
	} while (0)

#define RUN(name)                                                                           \
	do {                                                                                \
		test_cur_failed = 0;                                                        \
		if (setjmp(test_jmp) == 0)                                                  \
			name();                                                             \
		if (test_cur_failed) {                                                      \
			test_failed++;                                                      \
			printf("not ok - %s: %s\n", __FILE__, #name);                       \
		} else {                                                                    \
			test_passed++;                                                      \
			printf("ok - %s: %s\n", __FILE__, #name);                           \
		}                                                                           \
		fflush(stdout);                                                             \
	} while (0)

static inline int test_done(void)
{
	printf("# %d passed, %d failed\n", test_passed, test_failed);
	return test_failed ? 1 : 0;
}

#endif
