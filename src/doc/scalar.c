/*
 * Plain-scalar resolution as Go's yaml.v3 does it (resolve.go), and the writer's test for
 * strings that must be quoted to stay strings, which adds the YAML 1.1 booleans
 * (yes/no/on/off/y/n) and base-60 numbers that yaml.v3 quotes for older readers.
 */
#include "doc/scalar.h"

#include <ctype.h>
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
