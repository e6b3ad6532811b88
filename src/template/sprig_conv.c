/*
 * sprig's conversion, default and reflection functions (table tfuncs_sprig_conv): toString,
 * toStrings, atoi, int, int64, float64, default, empty, coalesce, all, any, ternary, typeOf,
 * typeIs, typeIsLike, kindOf, kindIs, deepEqual, and the flow-control odds fail and hello,
 * as sprig v3.3.0 defines them for Helm.
 *
 * Its numbers go through spf13/cast v1.7.0 (the version Helm's go.mod resolves), whose
 * ToInt64/ToFloat64 this file implements once for sprig_math.c too: a type switch on the
 * exact Go type (a named type such as time.Duration or chartutil.Values falls through to
 * "unable to cast", which sprig turns into 0), strings read with strconv.ParseInt(s, 0, 0)
 * after dropping a ".000" tail (so "0x1f" is 31, "1_000" is 1000, "1.5" is 0) or
 * strconv.ParseFloat, and floats truncated as Go's int64(f) does on amd64 (NaN and out of
 * range give math.MinInt64). strconv's syntax rules are Go 1.19's, written here because C's
 * strtoll and strtod accept other forms (leading spaces, "0x" floats without 'p', "nan(...)").
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "template/sprig.h"
#include "template/template_int.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/banned.h"

/* Shared with sprig_math.c (declared there too; they belong in sprig.h). */
int64_t sprig_cast_int64(const struct tv *v);
double sprig_cast_float64(const struct tv *v);
int sprig_parse_int(const char *s, size_t n, int base, int64_t *out);
int sprig_parse_float(const char *s, size_t n, double *out);
static char *conv_strval(struct texec *x, const struct tv *v, size_t *len);

/* ---- strconv ------------------------------------------------------------------------ */

static char lower(char c)
{
	return (char)(c | ('x' - 'X'));
}

/* strconv's underscoreOK: '_' only between digits (a base prefix counts as one). */
static bool underscore_ok(const char *s, size_t n)
{
	char saw = '^';
	size_t i = 0;
	if (n >= 1 && (s[0] == '-' || s[0] == '+')) {
		s++;
		n--;
	}
	bool hex = false;
	if (n >= 2 && s[0] == '0' &&
	    (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
		i = 2;
		saw = '0';
		hex = lower(s[1]) == 'x';
	}
	for (; i < n; i++) {
		char c = s[i];
		if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
			saw = '0';
			continue;
		}
		if (c == '_') {
			if (saw != '0')
				return false;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return false;
		saw = '!';
	}
	return saw != '_';
}

/*
 * strconv.ParseInt(s, base, 64) for base 0 (Go's prefixes 0x 0o 0b and leading-0 octal,
 * underscores between digits), 8 or 10. Returns 0, -1 for a syntax error (*out 0) or -2
 * for a range error (*out clamped to the int64 limit, as ParseInt returns it).
 */
int sprig_parse_int(const char *s, size_t n, int base, int64_t *out)
{
	*out = 0;
	if (n == 0)
		return -1;
	const char *s0 = s;
	size_t n0 = n;
	bool neg = false;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		s++;
		n--;
		s0 = s;
		n0 = n;
		if (n == 0)
			return -1;
	}
	bool base0 = base == 0;
	if (base0) {
		base = 10;
		if (s[0] == '0') {
			if (n >= 3 && lower(s[1]) == 'b')
				base = 2, s += 2, n -= 2;
			else if (n >= 3 && lower(s[1]) == 'o')
				base = 8, s += 2, n -= 2;
			else if (n >= 3 && lower(s[1]) == 'x')
				base = 16, s += 2, n -= 2;
			else
				base = 8, s += 1, n -= 1;
		}
	}
	uint64_t u = 0;
	bool underscores = false, range = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int d;
		if (c == '_' && base0) {
			underscores = true;
			continue;
		} else if (c >= '0' && c <= '9') {
			d = c - '0';
		} else if (lower(c) >= 'a' && lower(c) <= 'z') {
			d = lower(c) - 'a' + 10;
		} else {
			return -1;
		}
		if (d >= base)
			return -1;
		if (range)
			continue;
		if (u > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			range = true;
		else
			u = u * (uint64_t)base + (uint64_t)d;
	}
	if (underscores && !underscore_ok(s0, n0))
		return -1;
	uint64_t limit = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
	if (range || u > limit) {
		*out = neg ? INT64_MIN : INT64_MAX;
		return -2;
	}
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

static size_t prefix_fold(const char *s, size_t n, const char *word)
{
	size_t i = 0;
	while (i < n && word[i] && lower(s[i]) == word[i])
		i++;
	return i;
}

/* strconv.ParseFloat(s, 64): 0, -1 syntax error, -2 range error (overflow to ±Inf). */
int sprig_parse_float(const char *s, size_t n, double *out)
{
	*out = 0;
	if (n == 0)
		return -1;
	/* inf, infinity (signed), nan */
	{
		size_t i = 0;
		bool neg = false;
		if (s[0] == '+' || s[0] == '-')
			neg = s[0] == '-', i = 1;
		size_t k = prefix_fold(s + i, n - i, "infinity");
		if ((k == 3 || k == 8) && i + k == n) {
			*out = neg ? -INFINITY : INFINITY;
			return 0;
		}
		if (i == 0 && n == 3 && prefix_fold(s, n, "nan") == 3) {
			*out = NAN;
			return 0;
		}
	}
	size_t i = 0;
	if (s[i] == '+' || s[i] == '-')
		i++;
	bool hex = false;
	if (i + 2 < n && s[i] == '0' && lower(s[i + 1]) == 'x') {
		hex = true;
		i += 2;
	}
	bool sawdot = false, sawdigits = false, underscores = false;
	for (; i < n; i++) {
		char c = s[i];
		if (c == '_') {
			underscores = true;
		} else if (c == '.') {
			if (sawdot)
				break;
			sawdot = true;
		} else if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
			sawdigits = true;
		} else {
			break;
		}
	}
	if (!sawdigits)
		return -1;
	if (i < n && lower(s[i]) == (hex ? 'p' : 'e')) {
		i++;
		if (i >= n)
			return -1;
		if (s[i] == '+' || s[i] == '-')
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return -1;
		for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'); i++)
			if (s[i] == '_')
				underscores = true;
	} else if (hex) {
		return -1;
	}
	if (i != n)
		return -1;
	if (underscores && !underscore_ok(s, n))
		return -1;
	char *clean = malloc(n + 1);
	if (!clean)
		abort();
	size_t k = 0;
	for (size_t j = 0; j < n; j++)
		if (s[j] != '_')
			clean[k++] = s[j];
	clean[k] = 0;
	errno = 0;
	double f = strtod(clean, NULL);
	int rc = 0;
	if (errno == ERANGE && isinf(f))
		rc = -2;
	free(clean);
	*out = f;
	return rc;
}

/* Go's int64(f) on amd64: truncation, and the "integer indefinite" value for NaN and out
 * of range. */
static int64_t float_to_int64(double f)
{
	if (isnan(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)f;
}

/* cast's trimZeroDecimal: "12.000" -> "12", anything else unchanged. */
static size_t trim_zero_decimal(const char *s, size_t n)
{
	bool zero = false;
	for (size_t i = n; i > 0; i--) {
		if (s[i - 1] == '.') {
			if (zero)
				return i - 1;
		} else if (s[i - 1] == '0') {
			zero = true;
		} else {
			return n;
		}
	}
	return n;
}

static bool type_is(const struct tv *v, const char *const *names)
{
	if (!v->type)
		return true;
	for (; *names; names++)
		if (strcmp(v->type, *names) == 0)
			return true;
	return false;
}

static const char *const int_types[] = { "int", "int64", "int32", "int16", "int8",
					 "time.Weekday", "time.Month", NULL };
static const char *const uint_types[] = { "uint", "uint64", "uint32", "uint16", "uint8", NULL };
static const char *const float_types[] = { "float64", "float32", NULL };
static const char *const string_types[] = { "string", NULL };
static const char *const bool_types[] = { "bool", NULL };

static bool is_json_number(const struct tv *v)
{
	return v->kind == TV_STRING && v->type && strcmp(v->type, "json.Number") == 0;
}

/* cast.ToInt64 (and cast.ToInt: the same on 64-bit), errors as 0. */
int64_t sprig_cast_int64(const struct tv *v)
{
	if (tv_is_nil(v))
		return 0;
	switch ((enum tv_kind)v->kind) {
	case TV_INT: return type_is(v, int_types) ? v->u.i : 0;
	case TV_UINT: return type_is(v, uint_types) ? (int64_t)v->u.u : 0;
	case TV_FLOAT:
		if (!type_is(v, float_types))
			return 0;
		if (v->type && strcmp(v->type, "float32") == 0)
			return float_to_int64((double)(float)v->u.f);
		return float_to_int64(v->u.f);
	case TV_STRING: {
		if (!type_is(v, string_types) && !is_json_number(v))
			return 0;
		int64_t i;
		size_t n = trim_zero_decimal(v->u.s.ptr, v->u.s.len);
		return sprig_parse_int(v->u.s.ptr, n, 0, &i) == 0 ? i : 0;
	}
	case TV_BOOL: return type_is(v, bool_types) && v->u.b ? 1 : 0;
	default: return 0;
	}
}

/* cast.ToFloat64, errors as 0. */
double sprig_cast_float64(const struct tv *v)
{
	if (tv_is_nil(v))
		return 0;
	switch ((enum tv_kind)v->kind) {
	case TV_INT: return type_is(v, int_types) ? (double)v->u.i : 0;
	case TV_UINT: return type_is(v, uint_types) ? (double)v->u.u : 0;
	case TV_FLOAT:
		if (!type_is(v, float_types))
			return 0;
		return v->type && strcmp(v->type, "float32") == 0 ? (double)(float)v->u.f : v->u.f;
	case TV_STRING: {
		if (!type_is(v, string_types) && !is_json_number(v))
			return 0;
		double f;
		return sprig_parse_float(v->u.s.ptr, v->u.s.len, &f) == 0 ? f : 0;
	}
	case TV_BOOL: return type_is(v, bool_types) && v->u.b ? 1 : 0;
	default: return 0;
	}
}

/* sprig's strval: strings and []byte as their bytes, Stringers through String (our
 * objects' format), anything else as fmt's %v. In x's arena, NUL-terminated. */
static char *conv_strval(struct texec *x, const struct tv *v, size_t *len)
{
	if (v && (v->kind == TV_STRING || v->kind == TV_BYTES)) {
		*len = v->u.s.len;
		return (char *)v->u.s.ptr;
	}
	struct buf b = BUF_INIT;
	struct tv *args[1] = { (struct tv *)(v ? v : &tv_nil_value) };
	tfmt_sprintf(&b, "%v", 2, args, 1);
	char *s = arena_strndup(x->arena, b.ptr, b.len);
	*len = b.len;
	buf_release(&b);
	return s;
}

/* ---- The functions ---------------------------------------------------------------- */

static int f_to_string(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	size_t n;
	char *s = conv_strval(x, args[0], &n);
	*out = tv_str_borrow(x->arena, s, n);
	return 0;
}

static bool is_typed_string_list(const struct tv *v)
{
	return v->kind == TV_LIST && v->type && strcmp(v->type, "[]string") == 0;
}

/* strslice: []string as it is; other slices with their nil elements dropped; nil as [];
 * anything else as a one-element list. */
static int f_to_strings(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const struct tv *v = args[0];
	if (v && is_typed_string_list(v)) {
		*out = (struct tv *)v;
		return 0;
	}
	struct tv *l = tv_list(x->arena, 0);
	l->type = "[]string";
	if (tv_is_nil(v)) {
		*out = l;
		return 0;
	}
	if (v->kind == TV_LIST) {
		for (size_t i = 0; i < v->u.list.len; i++) {
			const struct tv *e = v->u.list.items[i];
			if (tv_is_nil(e))
				continue;
			size_t n;
			char *s = conv_strval(x, e, &n);
			tv_list_push(x->arena, l, tv_str_borrow(x->arena, s, n));
		}
	} else if (v->kind == TV_BYTES) {
		/* a []uint8 is a slice of numbers to reflect */
		for (size_t i = 0; i < v->u.s.len; i++)
			tv_list_push(x->arena, l,
				     tv_str(x->arena, arena_sprintf(x->arena, "%u",
								    (unsigned char)v->u.s.ptr[i])));
	} else {
		size_t n;
		char *s = conv_strval(x, v, &n);
		tv_list_push(x->arena, l, tv_str_borrow(x->arena, s, n));
	}
	*out = l;
	return 0;
}

/* atoi: strconv.Atoi with its error ignored: 0 for bad syntax, the int64 limit when out
 * of range. */
static int f_atoi(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	int64_t i;
	sprig_parse_int(args[0]->u.s.ptr, args[0]->u.s.len, 10, &i);
	*out = tv_int(x->arena, i);
	return 0;
}

static int f_int(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	*out = tv_int(x->arena, sprig_cast_int64(args[0]));
	return 0;
}

static int f_int64(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	*out = tv_int_typed(x->arena, sprig_cast_int64(args[0]), "int64");
	return 0;
}

static int f_float64(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	*out = tv_float(x->arena, sprig_cast_float64(args[0]));
	return 0;
}

/* sprig's empty: text/template's truth, negated; structs and pointers are never empty. */
static bool empty(const struct tv *v)
{
	return !tv_truth(v);
}

static struct tv *nil_if_invalid(struct tv *v)
{
	return !v || v->kind == TV_INVALID ? &tv_nil_value : v;
}

/* default DEFAULT GIVEN...: GIVEN[0] unless there is none or it is empty. */
static int f_default(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)x;
	*out = nil_if_invalid(nargs < 2 || empty(args[1]) ? args[0] : args[1]);
	return 0;
}

static int f_empty(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)x;
	(void)nargs;
	*out = tv_bool(empty(args[0]));
	return 0;
}

static int f_coalesce(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)x;
	for (size_t i = 0; i < nargs; i++)
		if (!empty(args[i])) {
			*out = args[i];
			return 0;
		}
	*out = &tv_nil_value;
	return 0;
}

static int f_all(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)x;
	for (size_t i = 0; i < nargs; i++)
		if (empty(args[i])) {
			*out = tv_bool(false);
			return 0;
		}
	*out = tv_bool(true);
	return 0;
}

static int f_any(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)x;
	for (size_t i = 0; i < nargs; i++)
		if (!empty(args[i])) {
			*out = tv_bool(true);
			return 0;
		}
	*out = tv_bool(false);
	return 0;
}

/* ternary TRUE FALSE COND */
static int f_ternary(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)x;
	(void)nargs;
	*out = nil_if_invalid(args[2]->u.b ? args[0] : args[1]);
	return 0;
}

static const char *type_of(const struct tv *v)
{
	return tv_is_nil(v) ? "<nil>" : tv_type_name(v);
}

static int f_type_of(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const char *t = type_of(args[0]);
	*out = tv_str_borrow(x->arena, t, strlen(t));
	return 0;
}

static bool str_is(const struct tv *s, const char *t)
{
	return s->u.s.len == strlen(t) && memcmp(s->u.s.ptr, t, s->u.s.len) == 0;
}

static int f_type_is(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)x;
	(void)nargs;
	*out = tv_bool(str_is(args[0], type_of(args[1])));
	return 0;
}

/* typeIsLike T V: V's type is T or *T. */
static int f_type_is_like(struct texec *x, struct tv *const *args, size_t nargs,
			  struct tv **out)
{
	(void)x;
	(void)nargs;
	const char *t = type_of(args[1]);
	bool like = str_is(args[0], t) ||
		    (t[0] == '*' && args[0]->u.s.len == strlen(t + 1) &&
		     memcmp(args[0]->u.s.ptr, t + 1, args[0]->u.s.len) == 0);
	*out = tv_bool(like);
	return 0;
}

static int f_kind_of(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const char *k = tv_kind_name(args[0] ? args[0] : &tv_nil_value);
	*out = tv_str_borrow(x->arena, k, strlen(k));
	return 0;
}

static int f_kind_is(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)x;
	(void)nargs;
	*out = tv_bool(str_is(args[0], tv_kind_name(args[1] ? args[1] : &tv_nil_value)));
	return 0;
}

static int f_deep_equal(struct texec *x, struct tv *const *args, size_t nargs,
			struct tv **out)
{
	(void)x;
	(void)nargs;
	*out = tv_bool(tv_deep_equal(args[0], args[1]));
	return 0;
}

/* fail MSG: errors.New(msg), reported as "error calling fail: MSG". */
static int f_fail(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	(void)out;
	return texec_fail(x, "%.*s", (int)args[0]->u.s.len, args[0]->u.s.ptr);
}

static int f_hello(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)args;
	(void)nargs;
	*out = tv_str_borrow(x->arena, "Hello!", 6);
	return 0;
}

static const struct tfunc conv_funcs[] = {
	{ "hello", f_hello, "", "s" },
	{ "toString", f_to_string, "a", "s" },
	{ "toStrings", f_to_strings, "a", "S" },
	{ "atoi", f_atoi, "s", "i" },
	{ "int64", f_int64, "a", "I" },
	{ "int", f_int, "a", "i" },
	{ "float64", f_float64, "a", "f" },
	{ "default", f_default, "aa*", "a" },
	{ "empty", f_empty, "a", "b" },
	{ "coalesce", f_coalesce, "a*", "a" },
	{ "all", f_all, "a*", "b" },
	{ "any", f_any, "a*", "b" },
	{ "ternary", f_ternary, "aab", "a" },
	{ "typeOf", f_type_of, "a", "s" },
	{ "typeIs", f_type_is, "sa", "b" },
	{ "typeIsLike", f_type_is_like, "sa", "b" },
	{ "kindOf", f_kind_of, "a", "s" },
	{ "kindIs", f_kind_is, "sa", "b" },
	{ "deepEqual", f_deep_equal, "aa", "b" },
	{ "fail", f_fail, "s", "se" },
};

const struct tfunc_table tfuncs_sprig_conv = { conv_funcs,
					       sizeof(conv_funcs) / sizeof(*conv_funcs) };
