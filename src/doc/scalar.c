/*
 * Plain-scalar resolution as Go's yaml.v3 does it (resolve.go), and the writer's test for
 * strings that must be quoted to stay strings, which adds the YAML 1.1 booleans
 * (yes/no/on/off/y/n) and base-60 numbers that yaml.v3 quotes for older readers.
 */
#include "doc/scalar.h"

#include "util/buf.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/banned.h"

static bool eq(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && !memcmp(s, lit, len);
}

static bool one_of(const char *s, size_t len, const char *const *list)
{
	for (; *list; list++)
		if (eq(s, len, *list))
			return true;
	return false;
}

static const char *const nulls[] = { "~", "null", "Null", "NULL", NULL };
static const char *const trues[] = { "true", "True", "TRUE", NULL };
static const char *const falses[] = { "false", "False", "FALSE", NULL };
static const char *const specials[] = { ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
					"-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", NULL };
static const char *const old_bools[] = { "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No",
					 "NO", "on", "On", "ON", "off", "Off", "OFF", NULL };

static bool all_digits(const char *s, size_t len, int base, bool underscores)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (underscores && c == '_' && i > 0 && i + 1 < len && s[i - 1] != '_')
			continue;
		int v = isdigit((unsigned char)c) ? c - '0'
		      : (c >= 'a' && c <= 'f') ? c - 'a' + 10
		      : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : 99;
		if (v >= base)
			return false;
	}
	return true;
}

/* Integers as Go's strconv.ParseInt(s, 0, 64) (or ParseUint) accepts them, without the
 * range check: digits of any length are kept as exact text. */
static bool is_int(const char *s, size_t len)
{
	if (len && (s[0] == '+' || s[0] == '-')) {
		s++;
		len--;
	}
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return all_digits(s + 2, len - 2, 16, true) || (s[2] == '_' && all_digits(s + 3, len - 3, 16, true));
	if (len > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		return all_digits(s + 2, len - 2, 8, true) || (s[2] == '_' && all_digits(s + 3, len - 3, 8, true));
	if (len > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		return all_digits(s + 2, len - 2, 2, true) || (s[2] == '_' && all_digits(s + 3, len - 3, 2, true));
	if (len > 1 && s[0] == '0')
		return all_digits(s + 1, len - 1, 8, true);
	return all_digits(s, len, 10, false);
}

/* ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static bool is_float(const char *s, size_t len)
{
	size_t i = 0;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	size_t d0 = i;
	while (i < len && isdigit((unsigned char)s[i]))
		i++;
	if (i == d0) {
		if (i >= len || s[i] != '.')
			return false;
		i++;
		size_t f0 = i;
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
		if (i == f0)
			return false;
	} else if (i < len && s[i] == '.') {
		i++;
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t e0 = i;
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
		if (i == e0)
			return false;
	}
	return i == len;
}

/* ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$ */
static bool is_base60(const char *s, size_t len)
{
	size_t i = 0;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i >= len || !isdigit((unsigned char)s[i]))
		return false;
	while (i < len && (isdigit((unsigned char)s[i]) || s[i] == '_'))
		i++;
	int groups = 0;
	while (i < len && s[i] == ':') {
		i++;
		size_t g0 = i;
		while (i < len && isdigit((unsigned char)s[i]) && i - g0 < 2)
			i++;
		if (i == g0 || (i - g0 == 2 && s[g0] > '5'))
			return false;
		groups++;
	}
	if (!groups)
		return false;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && (isdigit((unsigned char)s[i]) || s[i] == '_'))
			i++;
	}
	return i == len;
}

/* yaml.v3 reads 2006-1-2, optionally followed by a time, as a timestamp. */
static bool is_timestamp(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && i < 4 && isdigit((unsigned char)s[i]))
		i++;
	if (i != 4 || i >= len || s[i] != '-')
		return false;
	for (int part = 0; part < 2; part++) {
		i++;
		size_t p0 = i;
		while (i < len && isdigit((unsigned char)s[i]) && i - p0 < 2)
			i++;
		if (i == p0)
			return false;
		if (part == 0 && (i >= len || s[i] != '-'))
			return false;
	}
	if (i == len)
		return true;
	if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
		return false;
	i++;
	return i < len && isdigit((unsigned char)s[i]) && memchr(s + i, ':', len - i);
}

enum doc_kind scalar_resolve_plain(const char *s, size_t len)
{
	if (len == 0 || one_of(s, len, nulls))
		return DOC_NULL;
	if (one_of(s, len, trues) || one_of(s, len, falses))
		return DOC_BOOL;
	char c = s[0];
	if (!(isdigit((unsigned char)c) || c == '+' || c == '-' || c == '.'))
		return DOC_STR;
	if (one_of(s, len, specials))
		return DOC_FLOAT;
	/* yaml.v3 (resolve.go) drops every '_' before it tries the number forms, so 1_000 and
	 * 1_0.5 are numbers too */
	char p[128];
	if (memchr(s, '_', len) && len < sizeof(p)) {
		size_t n = 0;
		for (size_t i = 0; i < len; i++)
			if (s[i] != '_')
				p[n++] = s[i];
		s = p;
		len = n;
	}
	if (is_int(s, len))
		return DOC_INT;
	if (is_float(s, len))
		return DOC_FLOAT;
	return DOC_STR;
}

bool scalar_needs_quotes(const char *s, size_t len)
{
	if (scalar_resolve_plain(s, len) != DOC_STR)
		return true;
	if (eq(s, len, "<<"))
		return true;
	return one_of(s, len, old_bools) || is_base60(s, len) || is_timestamp(s, len);
}

/* Go's strconv.ParseUint(s, 0, 64) on s without sign: base prefixes 0x, 0o, 0b and a bare
 * leading 0 for octal. False on a syntax error or overflow. */
static bool go_parse_uint(const char *s, size_t len, uint64_t *out)
{
	int base = 10;
	if (len > 1 && s[0] == '0') {
		char c = (char)tolower((unsigned char)s[1]);
		if (c == 'x' || c == 'o' || c == 'b') {
			base = c == 'x' ? 16 : c == 'o' ? 8 : 2;
			s += 2;
			len -= 2;
		} else {
			base = 8;
			s++;
			len--;
		}
	}
	if (!len)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		char c = (char)tolower((unsigned char)s[i]);
		int d = isdigit((unsigned char)c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : 99;
		if (d >= base || v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return true;
}

/* The shortest decimal digits that read back as f (f finite, > 0), as Go's
 * strconv.FormatFloat(f, _, -1, 64) finds them: digits in d (NUL-terminated, no trailing
 * zeros), and the position of the decimal point: f = 0.d * 10^dp. */
static void shortest_digits(double f, char d[32], int *dp)
{
	char t[48];
	for (int p = 1; p <= 17; p++) {
		snprintf(t, sizeof(t), "%.*e", p - 1, f);
		if (strtod(t, NULL) == f)
			break;
	}
	/* t is "d.ddde±x" */
	size_t n = 0;
	const char *c = t;
	for (; *c && *c != 'e'; c++)
		if (isdigit((unsigned char)*c))
			d[n++] = *c;
	while (n > 1 && d[n - 1] == '0')
		n--;
	d[n] = '\0';
	*dp = (int)strtol(c + 1, NULL, 10) + 1;
}

/* Go's %e with the shortest digits: d.ddde±XX (two exponent digits at least). */
static void fmt_e(struct buf *b, bool neg, const char *d, int dp)
{
	if (neg)
		buf_addch(b, '-');
	buf_addch(b, d[0]);
	if (d[1]) {
		buf_addch(b, '.');
		buf_adds(b, d + 1);
	}
	int exp = dp - 1;
	buf_addf(b, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
}

/* Go's %f with the shortest digits. */
static void fmt_f(struct buf *b, bool neg, const char *d, int dp)
{
	int nd = (int)strlen(d);
	if (neg)
		buf_addch(b, '-');
	if (dp <= 0) {
		buf_adds(b, "0.");
		for (int i = dp; i < 0; i++)
			buf_addch(b, '0');
		buf_adds(b, d);
		return;
	}
	for (int i = 0; i < dp; i++)
		buf_addch(b, i < nd ? d[i] : '0');
	if (nd > dp) {
		buf_addch(b, '.');
		buf_adds(b, d + dp);
	}
}

/* The YAML text a float64 gets from a JSON round trip: encoding/json writes it ('f', or 'e'
 * outside [1e-6, 1e21), e-07 shortened to e-7), yaml.v2 reads that back as an int when it is
 * integral text that fits (u)int64, and otherwise writes the float with
 * strconv.FormatFloat(f, 'g', -1, 64). */
static void json_float(struct buf *out, double f)
{
	bool neg = signbit(f);
	double a = fabs(f);
	if (a == 0) {
		buf_addch(out, '0'); /* "-0" reads back as int 0 */
		return;
	}
	char d[32];
	int dp;
	shortest_digits(a, d, &dp);
	int nd = (int)strlen(d);
	if (a >= 1e-6 && a < 1e21 && dp >= nd) {
		/* integral JSON text: an int again for yaml.v2 when it fits */
		struct buf t = BUF_INIT;
		fmt_f(&t, false, d, dp);
		uint64_t u;
		if (go_parse_uint(t.ptr, t.len, &u) && (!neg || u <= (uint64_t)INT64_MAX + 1)) {
			if (neg && u)
				buf_addch(out, '-');
			buf_add(out, t.ptr, t.len);
			buf_release(&t);
			return;
		}
		buf_release(&t);
	}
	int exp = dp - 1;
	if (exp < -4 || exp >= 6)
		fmt_e(out, neg, d, dp);
	else
		fmt_f(out, neg, d, dp);
}

bool scalar_json_number(struct buf *out, const char *s, size_t len)
{
	/* yaml.v3 (resolve.go) drops every '_' before parsing a number */
	char p[128];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '_')
			continue;
		if (n + 1 >= sizeof(p))
			return false;
		p[n++] = s[i];
	}
	p[n] = '\0';
	bool neg = n && p[0] == '-';
	size_t sign = n && (p[0] == '-' || p[0] == '+');
	uint64_t u;
	if (go_parse_uint(p + sign, n - sign, &u)) {
		if (!neg || u <= (uint64_t)INT64_MAX + 1) {
			buf_addf(out, "%s%" PRIu64, neg && u ? "-" : "", u);
			return true;
		}
	} else if (!sign && p[0] == '0' && n > 1 && strchr("xXoObB", p[1])) {
		return false;
	}
	if (!is_float(p, n))
		return false;
	errno = 0;
	double f = strtod(p, NULL);
	if (errno == ERANGE && isinf(f))
		return false; /* ParseFloat fails: yaml.v3 keeps the text a string */
	json_float(out, f);
	return true;
}
