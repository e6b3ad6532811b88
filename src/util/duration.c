/*
 * Go durations (see duration.h). The parser follows time.ParseDuration: a sign, then one or
 * more <decimal number><unit> groups; numbers may have a fraction ("1.5h"); the total is
 * kept in nanoseconds (so "1.5h" and "90m" are the same) and must fit an int64.
 */
#include "util/duration.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/banned.h"

static int invalid(const char *s)
{
	return err_set(ERR_INVALID, "time: invalid duration \"%s\"", s);
}

int duration_parse(const char *s, int64_t *out_ms)
{
	static const struct {
		const char *name;
		uint64_t ns;
	} units[] = {
		{ "ns", 1ULL }, { "us", 1000ULL }, { "\xc2\xb5s", 1000ULL }, { "\xce\xbcs", 1000ULL },
		{ "ms", 1000000ULL }, { "s", 1000000000ULL }, { "m", 60000000000ULL },
		{ "h", 3600000000000ULL },
	};
	const char *p = s;
	bool neg = false;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (!strcmp(p, "0")) {
		*out_ms = 0;
		return 0;
	}
	if (!*p)
		return invalid(s);
	uint64_t total = 0;
	while (*p) {
		uint64_t whole = 0, frac = 0, scale = 1;
		bool digits = false;
		while (*p >= '0' && *p <= '9') {
			if (whole > (UINT64_MAX - 9) / 10)
				return err_set(ERR_TOOBIG, "time: invalid duration \"%s\"", s);
			whole = whole * 10 + (uint64_t)(*p++ - '0');
			digits = true;
		}
		if (*p == '.') {
			p++;
			while (*p >= '0' && *p <= '9') {
				if (scale < 1000000000000000000ULL) {
					frac = frac * 10 + (uint64_t)(*p - '0');
					scale *= 10;
				}
				p++;
				digits = true;
			}
		}
		if (!digits)
			return invalid(s);
		size_t ulen = 0;
		while (p[ulen] && p[ulen] != '.' && !(p[ulen] >= '0' && p[ulen] <= '9'))
			ulen++;
		if (!ulen)
			return err_set(ERR_INVALID, "time: missing unit in duration \"%s\"", s);
		uint64_t unit = 0;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (strlen(units[i].name) == ulen && !memcmp(units[i].name, p, ulen))
				unit = units[i].ns;
		if (!unit)
			return err_set(ERR_INVALID, "time: unknown unit \"%.*s\" in duration \"%s\"",
				       (int)ulen, p, s);
		p += ulen;
		if (whole > (uint64_t)INT64_MAX / unit)
			return err_set(ERR_TOOBIG, "time: invalid duration \"%s\"", s);
		uint64_t v = whole * unit;
		if (frac)
			v += (uint64_t)((long double)frac * (long double)unit / (long double)scale);
		if (v > (uint64_t)INT64_MAX - total)
			return err_set(ERR_TOOBIG, "time: invalid duration \"%s\"", s);
		total += v;
	}
	int64_t ms = (int64_t)(total / 1000000ULL);
	*out_ms = neg ? -ms : ms;
	return 0;
}

char *duration_format(char *out, size_t n, int64_t ms)
{
	if (!n)
		return out;
	char tmp[64];
	size_t len = 0;
	bool neg = ms < 0;
	uint64_t u = neg ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
	if (u == 0) {
		snprintf(out, n, "0s");
		return out;
	}
	if (u < 1000) {
		snprintf(out, n, "%s%llums", neg ? "-" : "", (unsigned long long)u);
		return out;
	}
	/* Seconds with the millisecond fraction, trailing zeros dropped, as Go prints. */
	uint64_t secs = u / 1000, milli = u % 1000;
	uint64_t h = secs / 3600, m = (secs / 60) % 60, s = secs % 60;
	if (neg)
		tmp[len++] = '-';
	if (h)
		len += (size_t)snprintf(tmp + len, sizeof(tmp) - len, "%lluh", (unsigned long long)h);
	if (h || m)
		len += (size_t)snprintf(tmp + len, sizeof(tmp) - len, "%llum", (unsigned long long)m);
	len += (size_t)snprintf(tmp + len, sizeof(tmp) - len, "%llu", (unsigned long long)s);
	if (milli) {
		char f[8];
		snprintf(f, sizeof(f), ".%03llu", (unsigned long long)milli);
		size_t fl = strlen(f);
		while (f[fl - 1] == '0')
			f[--fl] = 0;
		len += (size_t)snprintf(tmp + len, sizeof(tmp) - len, "%s", f);
	}
	snprintf(tmp + len, sizeof(tmp) - len, "s");
	snprintf(out, n, "%s", tmp);
	return out;
}

int64_t rt_duration_jitter(int64_t d_ms, double fraction)
{
	if (d_ms <= 0 || fraction <= 0)
		return d_ms;
	/* random() is fine here: jitter only spreads load, it protects nothing. */
	double r = (double)random() / ((double)RAND_MAX + 1.0);
	return d_ms + (int64_t)((double)d_ms * fraction * r);
}
