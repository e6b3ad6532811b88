/*
 * sprig's semver and semverCompare (sprig v3.3 semver.go over Masterminds/semver v3.4,
 * the version Helm v4 builds with).
 *
 * `semver` gives a *semver.Version: an object whose methods templates call as Go's would
 * be called through reflect: Major, Minor, Patch (uint64), Prerelease, Metadata,
 * Original, String, IncMajor/IncMinor/IncPatch and SetPrerelease/SetMetadata (which give a
 * semver.Version value, on which Go cannot call the pointer methods Original, Compare,
 * Equal, LessThan...), Compare, Equal, LessThan(Equal), GreaterThan(Equal) (taking a
 * *semver.Version), MarshalJSON and MarshalText. It prints as String() does and marshals
 * to JSON as that string.
 *
 * Versions are parsed here with NewVersion's rules (CoerceNewVersion: an optional 'v', one
 * to three numeric parts with leading zeros allowed, "-prerelease" whose numeric
 * identifiers may not start with 0, "+metadata") and Masterminds' error words; ordering
 * and constraints are util/semver's, with v3.4's rule that one prerelease term lets
 * prereleases through its whole AND group (SEMVER_C_GROUP_PRE).
 */
#include "template/sprig.h"
#include "template/template_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/semver.h"
#include "util/banned.h"

struct sv {
	struct semver v;
	const char *meta;     /* "" when none */
	const char *original; /* the text parsed, or what Inc and Set made */
};

static const struct tv_object_type sv_ptr_type, sv_val_type;

static int ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '-';
}

/* Dot-separated non-empty identifiers from s; their length, or -1. */
static long idents(const char *s)
{
	const char *p = s;
	for (;;) {
		const char *start = p;
		while (ident_char(*p))
			p++;
		if (p == start)
			return -1;
		if (*p != '.')
			return (long)(p - s);
		p++;
	}
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Masterminds' validatePrerelease: a numeric identifier may not have a leading 0. */
static const char *check_pre(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && p[j] != '.')
			j++;
		if (j == i)
			return "invalid prerelease string";
		if (all_digits(p + i, j - i) && j - i > 1 && p[i] == '0')
			return "version segment starts with 0";
		i = j + 1;
	}
	return NULL;
}

/* NewVersion(s) into *out (strings in a). NULL, or the error as Masterminds words it. */
static const char *sv_parse(struct arena *a, const char *s, size_t len, struct sv *out)
{
	const char *p = s, *end = s + len;
	uint64_t nums[3] = {0, 0, 0};
	memset(out, 0, sizeof(*out));
	if (strlen(s) != len)
		return "invalid semantic version";
	if (*p == 'v')
		p++;
	for (int i = 0; i < 3; i++) {
		if (i > 0) {
			if (*p != '.' || !isdigit((unsigned char)p[1]))
				break;
			p++;
		}
		if (!isdigit((unsigned char)*p))
			return "invalid semantic version";
		const char *d = p;
		uint64_t v = 0;
		int over = 0;
		while (isdigit((unsigned char)*p)) {
			unsigned c = (unsigned)(*p - '0');
			if (v > (UINT64_MAX - c) / 10)
				over = 1;
			v = v * 10 + c;
			p++;
		}
		if (over)
			return arena_sprintf(a, "error parsing version segment: strconv.ParseUint: "
						"parsing \"%.*s\": value out of range",
					     (int)(p - d), d);
		nums[i] = v;
	}
	const char *pre = "", *meta = "";
	size_t prelen = 0;
	if (*p == '-') {
		long n = idents(p + 1);
		if (n < 0)
			return "invalid semantic version";
		pre = p + 1;
		prelen = (size_t)n;
		p += 1 + n;
	}
	if (*p == '+') {
		long n = idents(p + 1);
		if (n < 0)
			return "invalid semantic version";
		meta = arena_strndup(a, p + 1, (size_t)n);
		p += 1 + n;
	}
	if (p != end)
		return "invalid semantic version";
	const char *e = check_pre(pre, prelen);
	if (prelen && e)
		return e;
	if (prelen >= SEMVER_PRE_MAX)
		return "invalid prerelease string"; /* NEEDSWORK: util/semver holds 127 bytes */
	out->v.major = nums[0];
	out->v.minor = nums[1];
	out->v.patch = nums[2];
	memcpy(out->v.pre, pre, prelen);
	out->v.pre[prelen] = '\0';
	out->meta = meta;
	out->original = arena_strndup(a, s, len);
	return NULL;
}

static void sv_string(struct buf *b, const struct sv *v)
{
	buf_addf(b, "%llu.%llu.%llu", (unsigned long long)v->v.major,
		 (unsigned long long)v->v.minor, (unsigned long long)v->v.patch);
	if (v->v.pre[0])
		buf_addf(b, "-%s", v->v.pre);
	if (v->meta[0])
		buf_addf(b, "+%s", v->meta);
}

static const char *sv_cstring(struct arena *a, const struct sv *v)
{
	struct buf b = BUF_INIT;
	sv_string(&b, v);
	char *s = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return s;
}

static struct tv *sv_value(struct arena *a, const struct sv *v, const struct tv_object_type *t)
{
	struct sv *c = arena_alloc(a, sizeof(*c));
	*c = *v;
	struct tv *o = tv_object(a, t, c);
	o->type = t->name;
	return o;
}

/* The Version that Inc and Set make: original is the new String() with the old 'v'. */
static struct tv *sv_derived(struct arena *a, const struct sv *old, struct sv *nv)
{
	const char *s = sv_cstring(a, nv);
	nv->original = old->original[0] == 'v' ? arena_sprintf(a, "v%s", s) : s;
	return sv_value(a, nv, &sv_val_type);
}

static int want_args(struct texec *x, const char *name, size_t nargs, size_t want)
{
	if (nargs == want)
		return 0;
	return texec_fail(x, "wrong number of args for %s: want %zu got %zu", name, want, nargs);
}

static int sv_member(struct texec *x, const struct tv *self, const char *name,
		     struct tv *const *args, size_t nargs, bool has_args, struct tv **out)
{
	struct arena *a = texec_arena(x);
	const struct sv *v = self->u.obj.data;
	bool is_ptr = self->u.obj.ops == &sv_ptr_type;
	(void)has_args;
	int rc;
	uint64_t field = 0;
	if (!strcmp(name, "Major") || !strcmp(name, "Minor") || !strcmp(name, "Patch")) {
		if ((rc = want_args(x, name, nargs, 0)))
			return rc;
		field = name[1] == 'a' ? (name[0] == 'M' ? v->v.major : v->v.patch) : v->v.minor;
		*out = tv_uint(a, field, "uint64");
		return 1;
	}
	if (!strcmp(name, "Prerelease") || !strcmp(name, "Metadata") || !strcmp(name, "String") ||
	    (is_ptr && !strcmp(name, "Original"))) {
		if ((rc = want_args(x, name, nargs, 0)))
			return rc;
		const char *s = name[0] == 'P' ? v->v.pre
				: name[0] == 'M' ? v->meta
				: name[0] == 'O' ? v->original
				: sv_cstring(a, v);
		*out = tv_str(a, s);
		return 1;
	}
	if (!strcmp(name, "MarshalJSON") || !strcmp(name, "MarshalText")) {
		if ((rc = want_args(x, name, nargs, 0)))
			return rc;
		/* String() holds only [0-9A-Za-z.+-]: nothing to escape in JSON */
		const char *s = sv_cstring(a, v);
		*out = name[7] == 'J' ? tv_bytes(a, arena_sprintf(a, "\"%s\"", s), strlen(s) + 2)
				      : tv_bytes(a, s, strlen(s));
		return 1;
	}
	if (!strcmp(name, "IncMajor") || !strcmp(name, "IncMinor") || !strcmp(name, "IncPatch")) {
		if ((rc = want_args(x, name, nargs, 0)))
			return rc;
		struct sv n = *v;
		n.meta = "";
		if (name[4] == 'a' && name[3] == 'M') { /* IncMajor */
			n.v.major++;
			n.v.minor = n.v.patch = 0;
		} else if (name[3] == 'M') { /* IncMinor */
			n.v.minor++;
			n.v.patch = 0;
		} else if (!v->v.pre[0]) { /* IncPatch of a prerelease is its release */
			n.v.patch++;
		}
		n.v.pre[0] = '\0';
		*out = sv_derived(a, v, &n);
		return 1;
	}
	if (!strcmp(name, "SetPrerelease") || !strcmp(name, "SetMetadata")) {
		if ((rc = want_args(x, name, nargs, 1)))
			return rc;
		if (args[0]->kind != TV_STRING)
			return texec_fail(x, "wrong type for value; expected string; got %s",
					  tv_type_name(args[0]));
		const char *s = args[0]->u.s.ptr;
		size_t n = args[0]->u.s.len;
		struct sv nv = *v;
		bool pre = name[3] == 'P';
		if (n && (idents(s) != (long)n || strlen(s) != n))
			return texec_fail(x, pre ? "invalid prerelease string"
						 : "invalid metadata string");
		if (pre) {
			const char *e = check_pre(s, n);
			if (n && e)
				return texec_fail(x, "%s", e);
			if (n >= SEMVER_PRE_MAX)
				return texec_fail(x, "invalid prerelease string");
			memcpy(nv.v.pre, s, n);
			nv.v.pre[n] = '\0';
		} else {
			nv.meta = arena_strndup(a, s, n);
		}
		*out = sv_derived(a, v, &nv);
		return 1;
	}
	static const char *const cmps[] = {"Compare", "Equal", "LessThan", "LessThanEqual",
					   "GreaterThan", "GreaterThanEqual"};
	for (size_t i = 0; is_ptr && i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		if (strcmp(name, cmps[i]))
			continue;
		if ((rc = want_args(x, name, nargs, 1)))
			return rc;
		const struct tv *o = args[0];
		if (o->kind != TV_OBJECT || o->u.obj.ops != &sv_ptr_type)
			return texec_fail(x, "wrong type for value; expected *semver.Version; got %s",
					  tv_type_name(o));
		int c = semver_compare(&v->v, &((const struct sv *)o->u.obj.data)->v);
		switch (i) {
		case 0: *out = tv_int(a, c); break;
		case 1: *out = tv_bool(c == 0); break;
		case 2: *out = tv_bool(c < 0); break;
		case 3: *out = tv_bool(c <= 0); break;
		case 4: *out = tv_bool(c > 0); break;
		default: *out = tv_bool(c >= 0); break;
		}
		return 1;
	}
	return 0;
}

static struct tv *sv_to_data(struct texec *x, const struct tv *self)
{
	return tv_str(texec_arena(x), sv_cstring(texec_arena(x), self->u.obj.data));
}

static void sv_format(struct buf *out, const struct tv *self)
{
	sv_string(out, self->u.obj.data);
}

static const struct tv_object_type sv_ptr_type = {
	"*semver.Version", sv_member, sv_to_data, sv_format,
};
static const struct tv_object_type sv_val_type = {
	"semver.Version", sv_member, sv_to_data, sv_format,
};

static int f_semver(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct sv v;
	const char *e = sv_parse(texec_arena(x), args[0]->u.s.ptr, args[0]->u.s.len, &v);
	if (e)
		return texec_fail(x, "%s", e);
	*out = sv_value(texec_arena(x), &v, &sv_ptr_type);
	return 0;
}

/* Masterminds checks each "||" part on its own and names the first bad one. */
static int bad_constraint(struct texec *x, const char *c)
{
	const char *p = c;
	for (;;) {
		const char *bar = strstr(p, "||");
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		char *part = arena_strndup(texec_arena(x), p, n);
		struct semver_constraint *sc;
		if (semver_constraint_parse_flags(part, SEMVER_C_GROUP_PRE, &sc) != 0 || !bar)
			return texec_fail(x, "improper constraint: %s", part);
		semver_constraint_free(sc);
		p = bar + 2;
	}
}

static int f_semverCompare(struct texec *x, struct tv *const *args, size_t nargs,
			   struct tv **out)
{
	(void)nargs;
	const struct tv *c = args[0], *ver = args[1];
	struct semver_constraint *sc;
	if (strlen(c->u.s.ptr) != c->u.s.len ||
	    semver_constraint_parse_flags(c->u.s.ptr, SEMVER_C_GROUP_PRE, &sc) != 0)
		return bad_constraint(x, c->u.s.ptr);
	struct sv v;
	const char *e = sv_parse(texec_arena(x), ver->u.s.ptr, ver->u.s.len, &v);
	if (e) {
		semver_constraint_free(sc);
		return texec_fail(x, "%s", e);
	}
	*out = tv_bool(semver_constraint_check(sc, &v.v) == 1);
	semver_constraint_free(sc);
	return 0;
}

static const struct tfunc funcs[] = {
	{"semver", f_semver, "s", "ae"},
	{"semverCompare", f_semverCompare, "ss", "be"},
};

const struct tfunc_table tfuncs_sprig_semver = {funcs, sizeof(funcs) / sizeof(funcs[0])};
