/* sprig's semver and semverCompare (src/template/sprig_semver.c): the version object's
 * methods and Masterminds/semver v3.4's constraint rules, from the conformance cases
 * sprig-semver-* and Masterminds' own tests. */
#include "test.h"

#include <string.h>

#include "template/sprig.h"
#include "template/template_int.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

static struct arena *A;
static struct texec X;

static const struct tfunc *find(const char *name)
{
	const struct tfunc_table *t = &tfuncs_sprig_semver;
	for (size_t i = 0; i < t->len; i++)
		if (!strcmp(t->funcs[i].name, name))
			return &t->funcs[i];
	return NULL;
}

static struct tv *semver(const char *s)
{
	struct tv *args[1] = {tv_str(A, s)};
	struct tv *out = NULL;
	if (find("semver")->impl(&X, args, 1, &out))
		return NULL;
	return out;
}

/* "true", "false" or "ERR:<message>". */
static const char *cmp(const char *c, const char *v)
{
	struct tv *args[2] = {tv_str(A, c), tv_str(A, v)};
	struct tv *out = NULL;
	if (find("semverCompare")->impl(&X, args, 2, &out))
		return arena_sprintf(A, "ERR:%s", texec_message(&X));
	return out->u.b ? "true" : "false";
}

/* A method or field of v as a string (%v-like: uint, int, bool, string, object). */
static const char *m(struct tv *v, const char *name, struct tv *arg)
{
	struct tv *args[1] = {arg};
	struct tv *out = NULL;
	int rc = v->u.obj.ops->member(&X, v, name, args, arg ? 1 : 0, arg != NULL, &out);
	if (rc < 0)
		return arena_sprintf(A, "ERR:%s", texec_message(&X));
	if (rc == 0)
		return "NOMEMBER";
	struct buf b = BUF_INIT;
	switch (out->kind) {
	case TV_UINT: buf_addf(&b, "%llu:%s", (unsigned long long)out->u.u, out->type); break;
	case TV_INT: buf_addf(&b, "%lld", (long long)out->u.i); break;
	case TV_BOOL: buf_adds(&b, out->u.b ? "true" : "false"); break;
	case TV_STRING: buf_add(&b, out->u.s.ptr, out->u.s.len); break;
	case TV_BYTES: buf_adds(&b, "b:"); buf_add(&b, out->u.s.ptr, out->u.s.len); break;
	case TV_OBJECT:
		buf_addf(&b, "%s:", out->u.obj.ops->name);
		out->u.obj.ops->format(&b, out);
		break;
	default: buf_adds(&b, "?");
	}
	char *s = arena_strndup(A, b.ptr, b.len);
	buf_release(&b);
	return s;
}

static const char *str(struct tv *v)
{
	struct buf b = BUF_INIT;
	v->u.obj.ops->format(&b, v);
	char *s = arena_strndup(A, b.ptr, b.len);
	buf_release(&b);
	return s;
}

TEST(fields)
{
	struct tv *v = semver("1.2.3-alpha.1+build.5");
	REQUIRE(v);
	CHECK_STR(v->u.obj.ops->name, "*semver.Version");
	CHECK_STR(m(v, "Major", NULL), "1:uint64");
	CHECK_STR(m(v, "Minor", NULL), "2:uint64");
	CHECK_STR(m(v, "Patch", NULL), "3:uint64");
	CHECK_STR(m(v, "Prerelease", NULL), "alpha.1");
	CHECK_STR(m(v, "Metadata", NULL), "build.5");
	CHECK_STR(m(v, "Original", NULL), "1.2.3-alpha.1+build.5");
	CHECK_STR(str(v), "1.2.3-alpha.1+build.5");
	CHECK_STR(m(v, "MarshalJSON", NULL), "b:\"1.2.3-alpha.1+build.5\"");
	CHECK_STR(m(v, "Nope", NULL), "NOMEMBER");
	CHECK_STR(m(v, "Major", tv_int(A, 1)), "ERR:wrong number of args for Major: want 0 got 1");
	v = semver("v1.2");
	CHECK_STR(str(v), "1.2.0");
	CHECK_STR(m(v, "Original", NULL), "v1.2");
	CHECK_STR(str(semver("3")), "3.0.0");
	CHECK_STR(str(semver("01.002.3")), "1.2.3");
}

TEST(invalid_versions)
{
	const char *bad[] = {"not-a-version", "", "1.2.3.4", "V1.2.3", "1.2.", "1.2.3-", "1.2.3+",
			     "1.2.3-a..b", " 1.2.3", "1.2.3 "};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(semver(bad[i]) == NULL);
		CHECK_STR(texec_message(&X), "invalid semantic version");
	}
	CHECK(semver("1.2.3-01") == NULL);
	CHECK_STR(texec_message(&X), "version segment starts with 0");
	CHECK(semver("99999999999999999999.0.0") == NULL);
	CHECK_STR(texec_message(&X), "error parsing version segment: strconv.ParseUint: parsing "
				     "\"99999999999999999999\": value out of range");
	CHECK(semver("1.2.3-0") != NULL);
}

TEST(methods)
{
	struct tv *a = semver("1.2.3"), *b = semver("1.10.0");
	CHECK_STR(m(a, "Compare", b), "-1");
	CHECK_STR(m(b, "Compare", a), "1");
	CHECK_STR(m(a, "Compare", semver("v1.2.3")), "0");
	CHECK_STR(m(a, "LessThan", b), "true");
	CHECK_STR(m(a, "GreaterThan", b), "false");
	CHECK_STR(m(a, "Equal", semver("1.2.3+meta")), "true");
	CHECK_STR(m(a, "LessThanEqual", a), "true");
	CHECK_STR(m(a, "GreaterThanEqual", b), "false");
	CHECK_STR(m(a, "Compare", tv_str(A, "1.2.3")),
		  "ERR:wrong type for value; expected *semver.Version; got string");
	CHECK_STR(m(a, "IncMajor", NULL), "semver.Version:2.0.0");
	CHECK_STR(m(a, "IncMinor", NULL), "semver.Version:1.3.0");
	CHECK_STR(m(a, "IncPatch", NULL), "semver.Version:1.2.4");
	CHECK_STR(m(semver("1.2.3-rc1"), "IncPatch", NULL), "semver.Version:1.2.3");
	CHECK_STR(m(semver("1.2.3+m"), "IncPatch", NULL), "semver.Version:1.2.4");
	CHECK_STR(m(a, "SetPrerelease", tv_str(A, "beta.2")), "semver.Version:1.2.3-beta.2");
	CHECK_STR(m(a, "SetMetadata", tv_str(A, "git.abc")), "semver.Version:1.2.3+git.abc");
	CHECK_STR(m(a, "SetPrerelease", tv_str(A, "a..b")), "ERR:invalid prerelease string");
	CHECK_STR(m(a, "SetMetadata", tv_str(A, "a_b")), "ERR:invalid metadata string");
	/* a Version value (not a pointer) has no pointer methods, as in Go */
	struct tv *inc = NULL, *noargs[1] = {NULL};
	REQUIRE(a->u.obj.ops->member(&X, a, "IncMajor", noargs, 0, false, &inc) == 1);
	CHECK_STR(m(inc, "Original", NULL), "NOMEMBER");
	CHECK_STR(m(inc, "Compare", b), "NOMEMBER");
	CHECK_STR(m(inc, "Major", NULL), "2:uint64");
	struct tv *vinc = NULL;
	struct tv *va = semver("v1.2.3");
	REQUIRE(va->u.obj.ops->member(&X, va, "IncMinor", noargs, 0, false, &vinc) == 1);
	CHECK_STR(m(vinc, "String", NULL), "1.3.0");
}

TEST(compare_basic)
{
	CHECK_STR(cmp(">=1.2.0", "1.3.0"), "true");
	CHECK_STR(cmp(">=1.2.0", "1.1.9"), "false");
	CHECK_STR(cmp("=1.2.3", "1.2.3"), "true");
	CHECK_STR(cmp("1.2.3", "v1.2.3"), "true");
	CHECK_STR(cmp("!=1.2.3", "1.2.4"), "true");
	CHECK_STR(cmp("<2", "1.99.99"), "true");
	CHECK_STR(cmp(">1.2", "1.2.1"), "false");
	CHECK_STR(cmp("=>1.2.0", "1.2.0"), "true");
	CHECK_STR(cmp(">*", "0.0.1"), "true");
}

TEST(compare_caret_tilde)
{
	CHECK_STR(cmp("^1.2.0", "1.9.9"), "true");
	CHECK_STR(cmp("^1.2.0", "2.0.0"), "false");
	CHECK_STR(cmp("^0.2.3", "0.2.9"), "true");
	CHECK_STR(cmp("^0.2.3", "0.3.0"), "false");
	CHECK_STR(cmp("^0.0.3", "0.0.4"), "false");
	CHECK_STR(cmp("~1.2.0", "1.2.9"), "true");
	CHECK_STR(cmp("~1.2.0", "1.3.0"), "false");
	CHECK_STR(cmp("~1", "1.9.0"), "true");
	CHECK_STR(cmp("~1.2.3", "1.2.2"), "false");
	CHECK_STR(cmp("^1.30", "v1.30.4"), "true");
}

TEST(compare_prerelease)
{
	CHECK_STR(cmp(">=1.2.0", "1.3.0-beta"), "false");
	CHECK_STR(cmp(">=1.2.0-0", "1.3.0-beta"), "true");
	CHECK_STR(cmp(">=1.2.0-alpha", "1.2.0-beta"), "true");
	CHECK_STR(cmp("<1.2.0", "1.2.0-rc.1"), "false");
	CHECK_STR(cmp("^1.2.0-0", "1.2.5-rc"), "true");
	CHECK_STR(cmp(">=1.20-0", "v1.25.3-gke.100"), "true");
	CHECK_STR(cmp(">=1.20", "v1.25.3-gke.100"), "false");
	CHECK_STR(cmp(">=1.21.0-0 <1.30.0-0", "1.29.2-eks-1234"), "true");
	/* v3.4: one prerelease term opens the whole AND group */
	CHECK_STR(cmp(">=1.21.0-0 <1.30.0", "1.29.2-eks-1234"), "true");
	CHECK_STR(cmp(">=1.21.0-0 <1.30.0 || >=2", "1.29.2-eks-1234"), "true");
	CHECK_STR(cmp(">=2 || <1.30.0", "1.29.2-eks-1234"), "false");
	CHECK_STR(cmp("=1.2.3-rc.1", "1.2.3-rc.1"), "true");
	CHECK_STR(cmp(">=1.25.0-0", "v1.30.4"), "true");
	CHECK_STR(cmp("<1.25.0", "v1.30.4"), "false");
}

TEST(compare_ranges)
{
	CHECK_STR(cmp("<1.0.0 || >=2.0.0", "2.1.0"), "true");
	CHECK_STR(cmp("<1.0.0 || >=2.0.0", "1.5.0"), "false");
	CHECK_STR(cmp(">=1.0.0, <2.0.0", "1.5.0"), "true");
	CHECK_STR(cmp(">=1.0.0 <2.0.0", "2.0.0"), "false");
	CHECK_STR(cmp("1.2 - 1.4", "1.4.9"), "true");
	CHECK_STR(cmp("1.2 - 1.4", "1.5.0"), "false");
	CHECK_STR(cmp("1.2.x", "1.2.7"), "true");
	CHECK_STR(cmp("1.2.x", "1.3.0"), "false");
	CHECK_STR(cmp("*", "5.0.0"), "true");
	CHECK_STR(cmp("1.x", "1.9.0"), "true");
	CHECK_STR(cmp("x", "0.0.1"), "true");
}

TEST(compare_errors)
{
	CHECK_STR(cmp("abc", "1.0.0"), "ERR:improper constraint: abc");
	CHECK_STR(cmp(">=1.0 || abc", "1.0.0"), "ERR:improper constraint:  abc");
	CHECK_STR(cmp("", "1.0.0"), "ERR:improper constraint: ");
	CHECK_STR(cmp(">=1.0", "nope"), "ERR:invalid semantic version");
}

int main(void)
{
	A = arena_new();
	texec_init_standalone(&X, A, NULL);
	RUN(fields);
	RUN(invalid_versions);
	RUN(methods);
	RUN(compare_basic);
	RUN(compare_caret_tilde);
	RUN(compare_prerelease);
	RUN(compare_ranges);
	RUN(compare_errors);
	texec_release(&X);
	arena_free(A);
	return test_done();
}
