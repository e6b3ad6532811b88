/*
 * sprig's dates (sprig v3.3 date.go): now, date, dateInZone/date_in_zone, htmlDate,
 * htmlDateInZone, dateModify/date_modify, mustDateModify/must_date_modify, ago, duration,
 * durationRound, toDate, mustToDate, unixEpoch; and the pieces of Go's time package they
 * stand on: time.Time values, Format and ParseInLocation with Go's reference-time layouts
 * ("2006-01-02 15:04:05.000 -0700 MST"), ParseDuration and Duration.String, all with Go's
 * results and error words (Go 1.19's time/format.go is the reference).
 *
 * A time is a TV_OBJECT of type "time.Time": Unix seconds, nanoseconds, a location and,
 * for `now` and what is derived from it by Add, Go's monotonic reading (String() prints
 * "m=+0.000012345" as Go does). Templates may call its common methods (Format, Unix,
 * Year, Day, Hour, UTC, Add, AddDate, Before, After, Equal, IsZero ...). It marshals to
 * JSON as RFC 3339 with nanoseconds, as time.Time's MarshalJSON.
 *
 * Locations: UTC; fixed offsets (what parsing "+02:00" makes); "Local", which is UTC in
 * tide, so that a render does not depend on the controller's TZ (a controller's pod runs
 * in UTC anyway); and IANA names read from the system's /usr/share/zoneinfo (TZif files;
 * a name Go's LoadLocation would refuse, or a missing file, falls back to UTC as sprig's
 * dateInZone does). Past a zone file's last transition the footer's POSIX TZ rule
 * ("CET-1CEST,M3.5.0,M10.5.0/3") decides, as Go's tzset does.
 */
#include "template/sprig.h"
#include "template/template_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define NS_PER_SEC 1000000000LL
/* Seconds from 0001-01-01 (Go's zero time) to the Unix epoch. */
#define ZERO_UNIX (-62135596800LL)
#define ZONEINFO_DIR "/usr/share/zoneinfo"
#define TZIF_MAX (1 << 20)

/* ---- locations ----------------------------------------------------------------------- */

struct gzone {
	int32_t offset;
	const char *abbr;
};

/* One end of daylight time in a POSIX TZ rule: Jn, n or Mm.w.d, at secs local time. */
struct tzrule_day {
	char kind; /* 'J', 'n' or 'M' */
	int a, b, c; /* Jn/n: a = n; Mm.w.d: a = m, b = w, c = d */
	int32_t secs;
};

/* A TZif footer's rule (RFC 8536 section 3.3), for times past the last transition. */
struct tzrule {
	struct gzone std, dst;
	bool has_dst;
	struct tzrule_day start, end;
};

struct gloc {
	const char *name;    /* Location.String(): "UTC", "Local", "Europe/Berlin", "" */
	struct gzone fixed;  /* when ntrans == 0 and nzones == 0 */
	int64_t *trans;      /* transition times, ascending */
	uint8_t *trans_zone; /* zone index of each */
	size_t ntrans;
	struct gzone *zones;
	size_t nzones;
	const struct tzrule *extend; /* after the last transition, or NULL */
};

static const struct gloc loc_utc = {"UTC", {0, "UTC"}, NULL, NULL, 0, NULL, 0, NULL};
static const struct gloc loc_local = {"Local", {0, "UTC"}, NULL, NULL, 0, NULL, 0, NULL};

static struct gzone tzrule_lookup(const struct tzrule *r, int64_t t);

/* The zone in effect at unix time t. */
static struct gzone loc_lookup(const struct gloc *l, int64_t t)
{
	if (!l->nzones)
		return l->fixed;
	if (!l->ntrans || t < l->trans[0])
		return l->zones[0];
	if (l->extend && t >= l->trans[l->ntrans - 1])
		return tzrule_lookup(l->extend, t);
	size_t lo = 0, hi = l->ntrans; /* last transition <= t is in [lo, hi) */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return l->zones[l->trans_zone[lo]];
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* A zone name of a TZ string at *p: letters, or <...> (as "<+1030>"). */
static const char *tz_name(struct arena *a, const char **p)
{
	const char *s = *p, *e;
	if (*s == '<') {
		e = strchr(s, '>');
		if (!e)
			return NULL;
		*p = e + 1;
		return arena_strndup(a, s + 1, (size_t)(e - s - 1));
	}
	for (e = s; (*e >= 'A' && *e <= 'Z') || (*e >= 'a' && *e <= 'z'); e++)
		;
	if (e - s < 3)
		return NULL;
	*p = e;
	return arena_strndup(a, s, (size_t)(e - s));
}

/* [+-]hh[:mm[:ss]] in seconds (hours up to 167, as RFC 8536 allows); -1 on error. */
static int tz_secs(const char **p, int32_t *out)
{
	const char *s = *p;
	int neg = 0;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	int32_t v = 0;
	static const int32_t unit[3] = {3600, 60, 1}, max[3] = {167, 59, 59};
	for (int part = 0; part < 3; part++) {
		if (part) {
			if (*s != ':')
				break;
			s++;
		}
		if (*s < '0' || *s > '9')
			return -1;
		int32_t n = 0;
		while (*s >= '0' && *s <= '9' && n <= max[part])
			n = n * 10 + (*s++ - '0');
		if (n > max[part])
			return -1;
		v += n * unit[part];
	}
	*out = neg ? -v : v;
	*p = s;
	return 0;
}

static int tz_day(const char **p, struct tzrule_day *d)
{
	const char *s = *p;
	char *e;
	d->secs = 2 * 3600;
	if (*s == 'M') {
		long m = strtol(s + 1, &e, 10), w, wd;
		if (*e != '.')
			return -1;
		w = strtol(e + 1, &e, 10);
		if (*e != '.')
			return -1;
		wd = strtol(e + 1, &e, 10);
		if (m < 1 || m > 12 || w < 1 || w > 5 || wd < 0 || wd > 6)
			return -1;
		*d = (struct tzrule_day){'M', (int)m, (int)w, (int)wd, 2 * 3600};
	} else {
		char kind = *s == 'J' ? 'J' : 'n';
		if (*s < '0' && *s != 'J')
			return -1;
		long n = strtol(s + (kind == 'J'), &e, 10);
		if (e == s + (kind == 'J') || n < (kind == 'J') || n > 365)
			return -1;
		*d = (struct tzrule_day){kind, (int)n, 0, 0, 2 * 3600};
	}
	s = e;
	if (*s == '/') {
		s++;
		if (tz_secs(&s, &d->secs))
			return -1;
	}
	*p = s;
	return 0;
}

/* A POSIX TZ string ("CET-1CEST,M3.5.0,M10.5.0/3"), or NULL when it has no DST rule or
 * is not understood (then the last transition's zone holds). */
static const struct tzrule *tz_parse(struct arena *a, const char *s)
{
	struct tzrule r;
	memset(&r, 0, sizeof(r));
	int32_t off;
	if (!(r.std.abbr = tz_name(a, &s)) || tz_secs(&s, &off))
		return NULL;
	r.std.offset = -off; /* POSIX counts west of Greenwich */
	if (!*s)
		return NULL;
	if (!(r.dst.abbr = tz_name(a, &s)))
		return NULL;
	r.dst.offset = r.std.offset + 3600;
	if (*s && *s != ',') {
		if (tz_secs(&s, &off))
			return NULL;
		r.dst.offset = -off;
	}
	if (*s != ',')
		return NULL; /* NEEDSWORK: POSIX's default US rule */
	s++;
	if (tz_day(&s, &r.start) || *s != ',')
		return NULL;
	s++;
	if (tz_day(&s, &r.end) || *s)
		return NULL;
	r.has_dst = true;
	struct tzrule *c = arena_alloc(a, sizeof(*c));
	*c = r;
	return c;
}

/* A TZif file's data (RFC 8536) as a location named name, or NULL when malformed. */
static const struct gloc *tzif_parse(struct arena *a, const char *name, const unsigned char *p,
				     size_t n)
{
	if (n < 44 || memcmp(p, "TZif", 4) != 0)
		return NULL;
	int v2 = p[4] >= '2';
	size_t tsize = 4;
	for (int pass = 0; pass < 2; pass++) {
		if (n < 44)
			return NULL;
		uint32_t isut = be32(p + 20), isstd = be32(p + 24), leap = be32(p + 28);
		uint32_t timecnt = be32(p + 32), typecnt = be32(p + 36), charcnt = be32(p + 40);
		if (timecnt > 100000 || typecnt > 256 || typecnt == 0 || charcnt > 100000 ||
		    leap > 100000 || isut > 256 || isstd > 256)
			return NULL;
		size_t body = (size_t)timecnt * tsize + timecnt + (size_t)typecnt * 6 + charcnt +
			      (size_t)leap * (tsize + 4) + isstd + isut;
		if (n - 44 < body)
			return NULL;
		if (pass == 0 && v2) {
			p += 44 + body;
			n -= 44 + body;
			tsize = 8;
			continue;
		}
		const unsigned char *q = p + 44;
		struct gloc *l = arena_alloc(a, sizeof(*l));
		l->name = arena_strdup(a, name);
		l->ntrans = timecnt;
		l->trans = arena_alloc(a, (timecnt + 1) * sizeof(int64_t));
		l->trans_zone = arena_alloc(a, timecnt + 1);
		for (uint32_t i = 0; i < timecnt; i++, q += tsize)
			l->trans[i] = tsize == 8 ? be64(q) : (int64_t)(int32_t)be32(q);
		for (uint32_t i = 0; i < timecnt; i++) {
			if (q[i] >= typecnt)
				return NULL;
			l->trans_zone[i] = q[i];
		}
		q += timecnt;
		const unsigned char *types = q, *chars = q + (size_t)typecnt * 6;
		l->nzones = typecnt;
		l->zones = arena_alloc(a, typecnt * sizeof(struct gzone));
		for (uint32_t i = 0; i < typecnt; i++) {
			const unsigned char *t = types + (size_t)i * 6;
			unsigned ai = t[5];
			if (ai >= charcnt)
				return NULL;
			l->zones[i].offset = (int32_t)be32(t);
			l->zones[i].abbr = arena_strndup(a, (const char *)chars + ai,
							 strnlen((const char *)chars + ai, charcnt - ai));
		}
		/* v2+: the footer "\nTZ\n" after the data */
		const unsigned char *f = p + 44 + body, *end = p + n;
		if (v2 && f < end && *f == '\n') {
			const unsigned char *nl = memchr(f + 1, '\n', (size_t)(end - f - 1));
			if (nl && nl - f - 1 < 256) {
				char tz[256];
				memcpy(tz, f + 1, (size_t)(nl - f - 1));
				tz[nl - f - 1] = '\0';
				l->extend = tz_parse(a, tz);
			}
		}
		return l;
	}
	return NULL;
}

/* Go's LoadLocation: NULL when the name is refused or not found (callers use UTC then). */
static const struct gloc *load_location(struct arena *a, const char *name, size_t len)
{
	if (len == 0 || (len == 3 && !memcmp(name, "UTC", 3)))
		return &loc_utc;
	if (len == 5 && !memcmp(name, "Local", 5))
		return &loc_local;
	if (strlen(name) != len || strstr(name, "..") || name[0] == '/' || name[0] == '\\' ||
	    len > 255)
		return NULL;
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", ZONEINFO_DIR, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ELOOP) /* zoneinfo links within itself (UTC -> Etc/UTC) */
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	const struct gloc *l = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= TZIF_MAX) {
		unsigned char *data = malloc((size_t)st.st_size);
		if (!data)
			abort();
		size_t got = 0;
		while (got < (size_t)st.st_size) {
			ssize_t r = read(fd, data + got, (size_t)st.st_size - got);
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		if (got == (size_t)st.st_size)
			l = tzif_parse(a, name, data, got);
		free(data);
	}
	close(fd);
	return l;
}

static const struct gloc *fixed_zone(struct arena *a, const char *name, int32_t offset)
{
	struct gloc *l = arena_alloc(a, sizeof(*l));
	l->name = name;
	l->fixed.offset = offset;
	l->fixed.abbr = name;
	return l;
}

/* ---- times -------------------------------------------------------------------------- */

struct gtime {
	int64_t sec; /* Unix seconds */
	int32_t nsec;
	bool has_mono;
	int64_t mono; /* ns since the process's monotonic base, when has_mono */
	const struct gloc *loc;
};

static const struct tv_object_type time_type;

static struct tv *time_value(struct arena *a, const struct gtime *t)
{
	struct gtime *c = arena_alloc(a, sizeof(*c));
	*c = *t;
	struct tv *v = tv_object(a, &time_type, c);
	v->type = "time.Time";
	return v;
}

static const struct gtime *as_time(const struct tv *v)
{
	if (v && v->kind == TV_OBJECT && v->u.obj.ops == &time_type)
		return v->u.obj.data;
	return NULL;
}

static struct gtime time_now(void)
{
	/* Go's monotonic readings count from process start; the first call stands in (renders
	 * run on several threads, hence the atomic) */
	static _Atomic int64_t mono_base = -1;
	struct timespec rt, mt;
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mt);
	int64_t m = (int64_t)mt.tv_sec * NS_PER_SEC + mt.tv_nsec;
	int64_t base = atomic_load(&mono_base);
	if (base < 0) {
		int64_t want = m - 1;
		base = atomic_compare_exchange_strong(&mono_base, &base, want) ? want : base;
	}
	return (struct gtime){rt.tv_sec, (int32_t)rt.tv_nsec, true, m - base, &loc_local};
}

static struct gtime time_unix(int64_t sec)
{
	return (struct gtime){sec, 0, false, 0, &loc_local};
}

/* t + d nanoseconds, as Go's Add (the monotonic reading moves with it). */
static struct gtime time_add(struct gtime t, int64_t d)
{
	int64_t ds = d / NS_PER_SEC, dn = d % NS_PER_SEC;
	t.sec += ds;
	t.nsec += (int32_t)dn;
	if (t.nsec >= NS_PER_SEC) {
		t.sec++;
		t.nsec -= (int32_t)NS_PER_SEC;
	} else if (t.nsec < 0) {
		t.sec--;
		t.nsec += (int32_t)NS_PER_SEC;
	}
	if (t.has_mono) {
		/* Go drops the monotonic reading when it would overflow */
		int64_t m = (int64_t)((uint64_t)t.mono + (uint64_t)d);
		if ((d < 0 && m > t.mono) || (d > 0 && m < t.mono))
			t.has_mono = false;
		t.mono = m;
	}
	return t;
}

/* Go's Sub, saturating at the int64 range (monotonic readings when both have one). */
static int64_t time_sub(const struct gtime *a, const struct gtime *b)
{
	if (a->has_mono && b->has_mono)
		return a->mono - b->mono;
	__int128 d = ((__int128)a->sec - b->sec) * NS_PER_SEC + (a->nsec - b->nsec);
	if (d > INT64_MAX)
		return INT64_MAX;
	if (d < INT64_MIN)
		return INT64_MIN;
	return (int64_t)d;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1-12, day may overflow). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	/* normalise the month first, as Go's Date does */
	int64_t m0 = m - 1;
	y += m0 >= 0 ? m0 / 12 : -((11 - m0) / 12);
	m0 = ((m0 % 12) + 12) % 12;
	m = m0 + 1;
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in(int m, int64_t y)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The civil fields of t in its location. */
struct civil {
	int64_t year;
	int month, day, yday, hour, min, sec, wday;
	int32_t offset;
	const char *abbr;
};

static struct civil time_civil(const struct gtime *t)
{
	struct civil c;
	struct gzone z = loc_lookup(t->loc, t->sec);
	int64_t s = t->sec + z.offset;
	int64_t days = floor_div(s, 86400);
	int64_t rem = s - days * 86400;
	civil_from_days(days, &c.year, &c.month, &c.day);
	c.hour = (int)(rem / 3600);
	c.min = (int)(rem / 60 % 60);
	c.sec = (int)(rem % 60);
	c.wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday (4) */
	c.yday = (int)(days - days_from_civil(c.year, 1, 1)) + 1;
	c.offset = z.offset;
	c.abbr = z.abbr;
	return c;
}

/* Seconds from the start of year y (local) to the rule day d's transition. */
static int64_t tzrule_when(const struct tzrule_day *d, int64_t y)
{
	int64_t day; /* 0-based day of the year */
	if (d->kind == 'J') {
		day = d->a - 1;
		if (is_leap(y) && d->a >= 60)
			day++;
	} else if (d->kind == 'n') {
		day = d->a;
	} else {
		int64_t first = days_from_civil(y, d->a, 1);
		int wday1 = (int)(((first % 7) + 11) % 7);
		int md = 1 + (d->c - wday1 + 7) % 7 + 7 * (d->b - 1);
		while (md > days_in(d->a, y))
			md -= 7;
		day = first + md - 1 - days_from_civil(y, 1, 1);
	}
	return day * 86400 + d->secs;
}

/* The zone a TZ rule gives at unix time t (Go's tzset). */
static struct gzone tzrule_lookup(const struct tzrule *r, int64_t t)
{
	if (!r->has_dst)
		return r->std;
	int64_t y;
	int m, d;
	civil_from_days(floor_div(t + r->std.offset, 86400), &y, &m, &d);
	int64_t ys = days_from_civil(y, 1, 1) * 86400;
	int64_t start = ys + tzrule_when(&r->start, y) - r->std.offset;
	int64_t end = ys + tzrule_when(&r->end, y) - r->dst.offset;
	bool in_dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
	return in_dst ? r->dst : r->std;
}

/* Go's Date(...) in loc: the zone offset that applies at the resulting instant. */
static struct gtime time_date(int64_t y, int m, int d, int hh, int mm, int ss, int32_t ns,
			      const struct gloc *loc)
{
	int64_t local = days_from_civil(y, m, d) * 86400 + (int64_t)hh * 3600 + mm * 60 + ss;
	/* the offset in effect at the instant the first guess gives, as Go's Date finds it */
	int32_t off = loc_lookup(loc, local - loc_lookup(loc, local).offset).offset;
	return (struct gtime){local - off, ns, false, 0, loc};
}

/* ---- layouts -------------------------------------------------------------------------- */

enum std {
	STD_NONE,
	STD_LONG_MONTH, STD_MONTH, STD_NUM_MONTH, STD_ZERO_MONTH,
	STD_LONG_WEEKDAY, STD_WEEKDAY,
	STD_DAY, STD_UNDER_DAY, STD_ZERO_DAY, STD_UNDER_YDAY, STD_ZERO_YDAY,
	STD_HOUR, STD_HOUR12, STD_ZERO_HOUR12,
	STD_MINUTE, STD_ZERO_MINUTE, STD_SECOND, STD_ZERO_SECOND,
	STD_LONG_YEAR, STD_YEAR, STD_PM, STD_pm, STD_TZ,
	STD_ISO_TZ, STD_ISO_COLON_TZ, STD_ISO_SECS_TZ, STD_ISO_SHORT_TZ, STD_ISO_COLON_SECS_TZ,
	STD_NUM_TZ, STD_NUM_COLON_TZ, STD_NUM_SECS_TZ, STD_NUM_SHORT_TZ, STD_NUM_COLON_SECS_TZ,
	STD_FRAC0, STD_FRAC9,
};

struct chunk {
	size_t prefix;  /* literal bytes before the element */
	enum std std;
	size_t len;     /* bytes of the element in the layout */
	int digits;     /* STD_FRAC*: digits asked for */
	char sep;       /* STD_FRAC*: '.' or ',' */
};

static int lower_at(const char *s, size_t n, size_t i)
{
	return i < n && s[i] >= 'a' && s[i] <= 'z';
}

static int is_digit_at(const char *s, size_t n, size_t i)
{
	return i < n && s[i] >= '0' && s[i] <= '9';
}

static int has(const char *s, size_t n, size_t i, const char *lit)
{
	size_t l = strlen(lit);
	return n - i >= l && !memcmp(s + i, lit, l);
}

/* Go's nextStdChunk: the first layout element in s[0..n). */
static struct chunk next_chunk(const char *s, size_t n)
{
	static const enum std std0x[6] = {STD_ZERO_MONTH, STD_ZERO_DAY, STD_ZERO_HOUR12,
					  STD_ZERO_MINUTE, STD_ZERO_SECOND, STD_YEAR};
	for (size_t i = 0; i < n; i++) {
		struct chunk c = {i, STD_NONE, 0, 0, 0};
#define FOUND(code, l) do { c.std = (code); c.len = (l); return c; } while (0)
		switch (s[i]) {
		case 'J':
			if (has(s, n, i, "January"))
				FOUND(STD_LONG_MONTH, 7);
			if (has(s, n, i, "Jan") && !lower_at(s, n, i + 3))
				FOUND(STD_MONTH, 3);
			break;
		case 'M':
			if (has(s, n, i, "Monday"))
				FOUND(STD_LONG_WEEKDAY, 6);
			if (has(s, n, i, "Mon") && !lower_at(s, n, i + 3))
				FOUND(STD_WEEKDAY, 3);
			if (has(s, n, i, "MST"))
				FOUND(STD_TZ, 3);
			break;
		case '0':
			if (i + 1 < n && s[i + 1] >= '1' && s[i + 1] <= '6')
				FOUND(std0x[s[i + 1] - '1'], 2);
			if (has(s, n, i, "002"))
				FOUND(STD_ZERO_YDAY, 3);
			break;
		case '1':
			if (i + 1 < n && s[i + 1] == '5')
				FOUND(STD_HOUR, 2);
			FOUND(STD_NUM_MONTH, 1);
		case '2':
			if (has(s, n, i, "2006"))
				FOUND(STD_LONG_YEAR, 4);
			FOUND(STD_DAY, 1);
		case '_':
			if (i + 1 < n && s[i + 1] == '2') {
				if (has(s, n, i + 1, "2006")) { /* "_2006" is '_' then the year */
					c.prefix = i + 1;
					FOUND(STD_LONG_YEAR, 4);
				}
				FOUND(STD_UNDER_DAY, 2);
			}
			if (has(s, n, i, "__2"))
				FOUND(STD_UNDER_YDAY, 3);
			break;
		case '3': FOUND(STD_HOUR12, 1);
		case '4': FOUND(STD_MINUTE, 1);
		case '5': FOUND(STD_SECOND, 1);
		case 'P':
			if (i + 1 < n && s[i + 1] == 'M')
				FOUND(STD_PM, 2);
			break;
		case 'p':
			if (i + 1 < n && s[i + 1] == 'm')
				FOUND(STD_pm, 2);
			break;
		case '-':
			if (has(s, n, i, "-070000")) FOUND(STD_NUM_SECS_TZ, 7);
			if (has(s, n, i, "-07:00:00")) FOUND(STD_NUM_COLON_SECS_TZ, 9);
			if (has(s, n, i, "-0700")) FOUND(STD_NUM_TZ, 5);
			if (has(s, n, i, "-07:00")) FOUND(STD_NUM_COLON_TZ, 6);
			if (has(s, n, i, "-07")) FOUND(STD_NUM_SHORT_TZ, 3);
			break;
		case 'Z':
			if (has(s, n, i, "Z070000")) FOUND(STD_ISO_SECS_TZ, 7);
			if (has(s, n, i, "Z07:00:00")) FOUND(STD_ISO_COLON_SECS_TZ, 9);
			if (has(s, n, i, "Z0700")) FOUND(STD_ISO_TZ, 5);
			if (has(s, n, i, "Z07:00")) FOUND(STD_ISO_COLON_TZ, 6);
			if (has(s, n, i, "Z07")) FOUND(STD_ISO_SHORT_TZ, 3);
			break;
		case '.':
		case ',':
			if (i + 1 < n && (s[i + 1] == '0' || s[i + 1] == '9')) {
				char ch = s[i + 1];
				size_t j = i + 1;
				while (j < n && s[j] == ch)
					j++;
				if (!is_digit_at(s, n, j)) {
					c.digits = (int)(j - (i + 1));
					c.sep = s[i];
					FOUND(ch == '0' ? STD_FRAC0 : STD_FRAC9, j - i);
				}
			}
			break;
		}
#undef FOUND
	}
	return (struct chunk){n, STD_NONE, 0, 0, 0};
}

static const char *const long_months[12] = {
	"January", "February", "March", "April", "May", "June", "July", "August", "September",
	"October", "November", "December"};
static const char *const long_days[7] = {"Sunday", "Monday", "Tuesday", "Wednesday",
					 "Thursday", "Friday", "Saturday"};

static void add_int(struct buf *b, int64_t v, int width)
{
	if (v < 0) {
		buf_addch(b, '-');
		buf_addf(b, "%0*llu", width, (unsigned long long)(-(uint64_t)v));
	} else {
		buf_addf(b, "%0*lld", width, (long long)v);
	}
}

static void add_zone(struct buf *b, enum std std, int32_t offset)
{
	int iso = std >= STD_ISO_TZ && std <= STD_ISO_COLON_SECS_TZ;
	if (iso && offset == 0) {
		buf_addch(b, 'Z');
		return;
	}
	int32_t zone = offset / 60, abs_off = offset;
	if (zone < 0) {
		buf_addch(b, '-');
		zone = -zone;
		abs_off = -abs_off;
	} else {
		buf_addch(b, '+');
	}
	add_int(b, zone / 60, 2);
	int colon = std == STD_ISO_COLON_TZ || std == STD_NUM_COLON_TZ ||
		    std == STD_ISO_COLON_SECS_TZ || std == STD_NUM_COLON_SECS_TZ;
	if (colon)
		buf_addch(b, ':');
	if (std != STD_NUM_SHORT_TZ && std != STD_ISO_SHORT_TZ)
		add_int(b, zone % 60, 2);
	if (std == STD_ISO_SECS_TZ || std == STD_NUM_SECS_TZ || std == STD_NUM_COLON_SECS_TZ ||
	    std == STD_ISO_COLON_SECS_TZ) {
		if (colon)
			buf_addch(b, ':');
		add_int(b, abs_off % 60, 2);
	}
}

/* Go's Time.Format. */
static void time_format(struct buf *b, const struct gtime *t, const char *layout, size_t n)
{
	struct civil c = time_civil(t);
	while (n) {
		struct chunk k = next_chunk(layout, n);
		buf_add(b, layout, k.prefix);
		if (k.std == STD_NONE)
			break;
		layout += k.prefix + k.len;
		n -= k.prefix + k.len;
		int hr12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
		switch (k.std) {
		case STD_YEAR: add_int(b, (c.year < 0 ? -c.year : c.year) % 100, 2); break;
		case STD_LONG_YEAR: add_int(b, c.year, 4); break;
		case STD_MONTH: buf_add(b, long_months[c.month - 1], 3); break;
		case STD_LONG_MONTH: buf_adds(b, long_months[c.month - 1]); break;
		case STD_NUM_MONTH: add_int(b, c.month, 0); break;
		case STD_ZERO_MONTH: add_int(b, c.month, 2); break;
		case STD_WEEKDAY: buf_add(b, long_days[c.wday], 3); break;
		case STD_LONG_WEEKDAY: buf_adds(b, long_days[c.wday]); break;
		case STD_DAY: add_int(b, c.day, 0); break;
		case STD_UNDER_DAY:
			if (c.day < 10)
				buf_addch(b, ' ');
			add_int(b, c.day, 0);
			break;
		case STD_ZERO_DAY: add_int(b, c.day, 2); break;
		case STD_UNDER_YDAY:
			if (c.yday < 100)
				buf_adds(b, c.yday < 10 ? "  " : " ");
			add_int(b, c.yday, 0);
			break;
		case STD_ZERO_YDAY: add_int(b, c.yday, 3); break;
		case STD_HOUR: add_int(b, c.hour, 2); break;
		case STD_HOUR12: add_int(b, hr12, 0); break;
		case STD_ZERO_HOUR12: add_int(b, hr12, 2); break;
		case STD_MINUTE: add_int(b, c.min, 0); break;
		case STD_ZERO_MINUTE: add_int(b, c.min, 2); break;
		case STD_SECOND: add_int(b, c.sec, 0); break;
		case STD_ZERO_SECOND: add_int(b, c.sec, 2); break;
		case STD_PM: buf_adds(b, c.hour >= 12 ? "PM" : "AM"); break;
		case STD_pm: buf_adds(b, c.hour >= 12 ? "pm" : "am"); break;
		case STD_TZ:
			if (c.abbr && c.abbr[0]) {
				buf_adds(b, c.abbr);
			} else {
				int32_t z = c.offset / 60;
				buf_addch(b, z < 0 ? '-' : '+');
				if (z < 0)
					z = -z;
				add_int(b, z / 60, 2);
				add_int(b, z % 60, 2);
			}
			break;
		case STD_FRAC0:
		case STD_FRAC9: {
			char d[10];
			snprintf(d, sizeof(d), "%09d", (int)t->nsec);
			int nd = k.digits > 9 ? 9 : k.digits;
			if (k.std == STD_FRAC9) {
				while (nd > 0 && d[nd - 1] == '0')
					nd--;
				if (nd == 0)
					break;
			}
			buf_addch(b, k.sep);
			buf_add(b, d, (size_t)nd);
			break;
		}
		default:
			add_zone(b, k.std, c.offset);
			break;
		}
	}
}

/* Go's Time.String(). */
static void time_string(struct buf *b, const struct gtime *t)
{
	static const char layout[] = "2006-01-02 15:04:05.999999999 -0700 MST";
	time_format(b, t, layout, sizeof(layout) - 1);
	if (t->has_mono) {
		uint64_t m = t->mono < 0 ? -(uint64_t)t->mono : (uint64_t)t->mono;
		buf_addf(b, " m=%c%llu.%09llu", t->mono < 0 ? '-' : '+',
			 (unsigned long long)(m / NS_PER_SEC), (unsigned long long)(m % NS_PER_SEC));
	}
}

/* Go's time.quote: "..." with \x escapes for control and non-ASCII bytes. */
static void go_quote(struct buf *b, const char *s, size_t n)
{
	buf_addch(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < ' ' || c >= 0x80)
			buf_addf(b, "\\x%02x", c);
		else if (c == '"' || c == '\\')
			buf_addf(b, "\\%c", c);
		else
			buf_addch(b, (char)c);
	}
	buf_addch(b, '"');
}

/* Case-insensitive prefix match of a name table, as Go's lookup. */
static int lookup_name(const char *const *tab, size_t ntab, size_t len3, const char **v,
		       size_t *n)
{
	for (size_t i = 0; i < ntab; i++) {
		size_t l = len3 ? len3 : strlen(tab[i]);
		if (*n < l)
			continue;
		size_t j = 0;
		for (; j < l; j++) {
			char a = (*v)[j], c = tab[i][j];
			if (a != c) {
				a |= 0x20;
				c |= 0x20;
				if (a != c || a < 'a' || a > 'z')
					break;
			}
		}
		if (j == l) {
			*v += l;
			*n -= l;
			return (int)i;
		}
	}
	return -1;
}

static int getnum(const char **v, size_t *n, int fixed, int *out)
{
	const char *s = *v;
	if (!is_digit_at(s, *n, 0))
		return -1;
	if (!is_digit_at(s, *n, 1)) {
		if (fixed)
			return -1;
		*out = s[0] - '0';
		*v += 1;
		*n -= 1;
		return 0;
	}
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	*v += 2;
	*n -= 2;
	return 0;
}

static int getnum3(const char **v, size_t *n, int fixed, int *out)
{
	int x = 0, i = 0;
	for (; i < 3 && is_digit_at(*v, *n, (size_t)i); i++)
		x = x * 10 + ((*v)[i] - '0');
	if (i == 0 || (fixed && i != 3))
		return -1;
	*out = x;
	*v += i;
	*n -= (size_t)i;
	return 0;
}

/* Go's atoi over exactly n bytes: optional sign, digits; -1 on error (no overflow here:
 * callers give at most 4 digits). */
static int atoi_n(const char *s, size_t n, int *out)
{
	int neg = 0, x = 0;
	if (n && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		s++;
		n--;
	}
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (x > 100000000)
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*out = neg ? -x : x;
	return 0;
}

static int parse_nanos(const char *v, size_t nbytes, int *ns, const char **range)
{
	if (v[0] != '.' && v[0] != ',')
		return -1;
	if (nbytes > 10)
		nbytes = 10;
	int x;
	if (atoi_n(v + 1, nbytes - 1, &x) != 0)
		return -1;
	if (x < 0) {
		*range = "fractional second";
		return 0;
	}
	for (size_t i = 0; i < 10 - nbytes; i++)
		x *= 10;
	*ns = x;
	return 0;
}

/* Go's parseTimeZone: the length of a zone abbreviation at v, or 0. */
static size_t zone_len(const char *v, size_t n)
{
	if (n < 3)
		return 0;
	if (n >= 4 && (!memcmp(v, "ChST", 4) || !memcmp(v, "MeST", 4)))
		return 4;
	if (!memcmp(v, "GMT", 3) || v[0] == '+' || v[0] == '-') {
		size_t base = v[0] == 'G' ? 3 : 0;
		if (base && n == 3)
			return 3;
		if (v[base] != '+' && v[base] != '-')
			return base; /* "GMT" followed by something else: just GMT */
		size_t i = base + 1;
		uint64_t x = 0;
		while (i < n && v[i] >= '0' && v[i] <= '9' && x <= 23) {
			x = x * 10 + (uint64_t)(v[i] - '0');
			i++;
		}
		if (i == base + 1 || x > 23)
			return base;
		return i;
	}
	size_t up = 0;
	while (up < 6 && up < n && v[up] >= 'A' && v[up] <= 'Z')
		up++;
	switch (up) {
	case 3: return 3;
	case 4: return (v[3] == 'T' || !memcmp(v, "WITA", 4)) ? 4 : 0;
	case 5: return v[4] == 'T' ? 5 : 0;
	default: return 0;
	}
}

/*
 * Go's time.ParseInLocation(layout, value, loc). Returns 0 with *out, or -1 with Go's
 * ParseError text in err.
 */
static int time_parse(struct arena *a, const char *layout, size_t ln, const char *value,
		      size_t vn, const struct gloc *loc, struct gtime *out, struct buf *err)
{
	const char *l = layout, *v = value;
	const size_t llen0 = ln, vlen0 = vn;
	const char *range = NULL;
	int am = 0, pm = 0;
	int64_t year = 0;
	int month = -1, day = -1, yday = -1, hour = 0, min = 0, sec = 0, nsec = 0;
	const struct gloc *z = NULL;
	int32_t zone_off = -1;
	int have_off = 0;
	const char *zname = NULL;
	size_t znlen = 0;
	const char *elem = NULL;
	size_t elen = 0;
	const char *extra = NULL;
	for (;;) {
		struct chunk k = next_chunk(l, ln);
		/* skip the literal prefix, runs of spaces matching runs of spaces */
		const char *p = l;
		size_t pn = k.prefix;
		while (pn) {
			if (*p == ' ') {
				if (vn && *v != ' ')
					goto bad_prefix;
				while (pn && *p == ' ')
					p++, pn--;
				while (vn && *v == ' ')
					v++, vn--;
				continue;
			}
			if (!vn || *v != *p)
				goto bad_prefix;
			p++, pn--, v++, vn--;
		}
		if (k.std == STD_NONE) {
			if (vn) {
				struct buf q = BUF_INIT;
				go_quote(&q, v, vn);
				extra = arena_sprintf(a, ": extra text: %s", q.ptr);
				buf_release(&q);
				goto fail_msg;
			}
			break;
		}
		elem = l + k.prefix;
		elen = k.len;
		l += k.prefix + k.len;
		ln -= k.prefix + k.len;
		int e = 0, x;
		const char *hold;
		switch (k.std) {
		case STD_YEAR:
			if (vn < 2) {
				e = -1;
				break;
			}
			hold = v;
			if (atoi_n(v, 2, &x) != 0) {
				e = -1;
				v = hold;
				break;
			}
			v += 2, vn -= 2;
			year = x >= 69 ? x + 1900 : x + 2000;
			break;
		case STD_LONG_YEAR:
			if (vn < 4 || !is_digit_at(v, vn, 0)) {
				e = -1;
				break;
			}
			e = atoi_n(v, 4, &x);
			v += 4, vn -= 4;
			year = x;
			break;
		case STD_MONTH:
			month = lookup_name(long_months, 12, 3, &v, &vn) + 1;
			e = month == 0 ? -1 : 0;
			break;
		case STD_LONG_MONTH:
			month = lookup_name(long_months, 12, 0, &v, &vn) + 1;
			e = month == 0 ? -1 : 0;
			break;
		case STD_NUM_MONTH:
		case STD_ZERO_MONTH:
			e = getnum(&v, &vn, k.std == STD_ZERO_MONTH, &month);
			if (!e && (month <= 0 || month > 12))
				range = "month";
			break;
		case STD_WEEKDAY:
			e = lookup_name(long_days, 7, 3, &v, &vn) < 0 ? -1 : 0;
			break;
		case STD_LONG_WEEKDAY:
			e = lookup_name(long_days, 7, 0, &v, &vn) < 0 ? -1 : 0;
			break;
		case STD_DAY:
		case STD_UNDER_DAY:
		case STD_ZERO_DAY:
			if (k.std == STD_UNDER_DAY && vn && *v == ' ')
				v++, vn--;
			e = getnum(&v, &vn, k.std == STD_ZERO_DAY, &day);
			break;
		case STD_UNDER_YDAY:
		case STD_ZERO_YDAY:
			for (int i = 0; i < 2; i++)
				if (k.std == STD_UNDER_YDAY && vn && *v == ' ')
					v++, vn--;
			e = getnum3(&v, &vn, k.std == STD_ZERO_YDAY, &yday);
			break;
		case STD_HOUR:
			e = getnum(&v, &vn, 0, &hour);
			if (hour < 0 || hour >= 24)
				range = "hour";
			break;
		case STD_HOUR12:
		case STD_ZERO_HOUR12:
			e = getnum(&v, &vn, k.std == STD_ZERO_HOUR12, &hour);
			if (hour < 0 || hour > 12)
				range = "hour";
			break;
		case STD_MINUTE:
		case STD_ZERO_MINUTE:
			e = getnum(&v, &vn, k.std == STD_ZERO_MINUTE, &min);
			if (min < 0 || min >= 60)
				range = "minute";
			break;
		case STD_SECOND:
		case STD_ZERO_SECOND:
			e = getnum(&v, &vn, k.std == STD_ZERO_SECOND, &sec);
			if (sec < 0 || sec >= 60) {
				range = "second";
				break;
			}
			/* a fraction in the value that the layout does not name is read anyway */
			if (!e && vn >= 2 && (v[0] == '.' || v[0] == ',') && is_digit_at(v, vn, 1)) {
				struct chunk nk = next_chunk(l, ln);
				if (nk.std == STD_FRAC0 || nk.std == STD_FRAC9)
					break;
				size_t nd = 2;
				while (nd < vn && is_digit_at(v, vn, nd))
					nd++;
				e = parse_nanos(v, nd, &nsec, &range);
				v += nd, vn -= nd;
			}
			break;
		case STD_PM:
		case STD_pm:
			if (vn < 2) {
				e = -1;
				break;
			}
			if (!memcmp(v, k.std == STD_PM ? "PM" : "pm", 2))
				pm = 1;
			else if (!memcmp(v, k.std == STD_PM ? "AM" : "am", 2))
				am = 1;
			else
				e = -1;
			v += 2, vn -= 2;
			break;
		case STD_TZ:
			if (vn >= 3 && !memcmp(v, "UTC", 3)) {
				z = &loc_utc;
				v += 3, vn -= 3;
				break;
			}
			znlen = zone_len(v, vn);
			if (!znlen) {
				e = -1;
				break;
			}
			zname = v;
			v += znlen, vn -= znlen;
			break;
		case STD_FRAC0: {
			size_t nd = 1 + (size_t)k.digits;
			if (vn < nd) {
				e = -1;
				break;
			}
			e = parse_nanos(v, nd, &nsec, &range);
			v += nd, vn -= nd;
			break;
		}
		case STD_FRAC9: {
			if (vn < 2 || (v[0] != '.' && v[0] != ',') || !is_digit_at(v, vn, 1))
				break;
			size_t i = 0;
			while (i < 9 && i + 1 < vn && is_digit_at(v, vn, i + 1))
				i++;
			e = parse_nanos(v, 1 + i, &nsec, &range);
			v += 1 + i, vn -= 1 + i;
			break;
		}
		default: { /* numeric zones */
			enum std s = k.std;
			if ((s == STD_ISO_TZ || s == STD_ISO_SHORT_TZ || s == STD_ISO_COLON_TZ) && vn &&
			    *v == 'Z') {
				v++, vn--;
				z = &loc_utc;
				break;
			}
			const char *sign, *hh, *mm = "00", *ss = "00";
			size_t used;
			if (s == STD_ISO_COLON_TZ || s == STD_NUM_COLON_TZ) {
				if (vn < 6 || v[3] != ':') {
					e = -1;
					break;
				}
				mm = v + 4;
				used = 6;
			} else if (s == STD_NUM_SHORT_TZ || s == STD_ISO_SHORT_TZ) {
				if (vn < 3) {
					e = -1;
					break;
				}
				used = 3;
			} else if (s == STD_ISO_COLON_SECS_TZ || s == STD_NUM_COLON_SECS_TZ) {
				if (vn < 9 || v[3] != ':' || v[6] != ':') {
					e = -1;
					break;
				}
				mm = v + 4;
				ss = v + 7;
				used = 9;
			} else if (s == STD_ISO_SECS_TZ || s == STD_NUM_SECS_TZ) {
				if (vn < 7) {
					e = -1;
					break;
				}
				mm = v + 3;
				ss = v + 5;
				used = 7;
			} else {
				if (vn < 5) {
					e = -1;
					break;
				}
				mm = v + 3;
				used = 5;
			}
			sign = v;
			hh = v + 1;
			int h, m2, s2;
			if (atoi_n(hh, 2, &h) || atoi_n(mm, 2, &m2) || atoi_n(ss, 2, &s2))
				e = -1;
			v += used, vn -= used;
			if (e)
				break;
			zone_off = (h * 60 + m2) * 60 + s2;
			have_off = 1;
			if (*sign == '-')
				zone_off = -zone_off;
			else if (*sign != '+')
				e = -1;
			break;
		}
		}
		if (range) {
			extra = arena_sprintf(a, ": %s out of range", range);
			goto fail_msg;
		}
		if (e)
			goto bad_elem;
	}
	if (pm && hour < 12)
		hour += 12;
	else if (am && hour == 12)
		hour = 0;
	if (yday >= 0) {
		int m = 0, d = 0;
		if (is_leap(year)) {
			if (yday == 31 + 29) {
				m = 2;
				d = 29;
			} else if (yday > 31 + 29) {
				yday--;
			}
		}
		if (yday < 1 || yday > 365) {
			extra = ": day-of-year out of range";
			goto fail_msg;
		}
		if (m == 0) {
			static const int before[13] = {0,   31,  59,  90,  120, 151, 181,
						       212, 243, 273, 304, 334, 365};
			m = (yday - 1) / 31 + 1;
			if (before[m] < yday)
				m++;
			d = yday - before[m - 1];
		}
		if (month >= 0 && month != m) {
			extra = ": day-of-year does not match month";
			goto fail_msg;
		}
		month = m;
		if (day >= 0 && day != d) {
			extra = ": day-of-year does not match day";
			goto fail_msg;
		}
		day = d;
	} else {
		if (month < 0)
			month = 1;
		if (day < 0)
			day = 1;
	}
	if (day < 1 || day > days_in(month, year)) {
		extra = ": day out of range";
		goto fail_msg;
	}
	if (z) {
		*out = time_date(year, month, day, hour, min, sec, nsec, z);
		return 0;
	}
	if (have_off) {
		struct gtime t = time_date(year, month, day, hour, min, sec, nsec, &loc_utc);
		t.sec -= zone_off;
		struct gzone lz = loc_lookup(loc, t.sec);
		if (lz.offset == zone_off &&
		    (!zname || (strlen(lz.abbr) == znlen && !memcmp(lz.abbr, zname, znlen)))) {
			t.loc = loc;
		} else {
			t.loc = fixed_zone(a, zname ? arena_strndup(a, zname, znlen) : "", zone_off);
		}
		*out = t;
		return 0;
	}
	if (zname) {
		struct gtime t = time_date(year, month, day, hour, min, sec, nsec, &loc_utc);
		/* does the location know the abbreviation (at t, else anywhere)? */
		struct gzone lz = loc_lookup(loc, t.sec - loc_lookup(loc, t.sec).offset);
		int known = strlen(lz.abbr) == znlen && !memcmp(lz.abbr, zname, znlen);
		for (size_t i = 0; !known && i < loc->nzones; i++)
			if (strlen(loc->zones[i].abbr) == znlen &&
			    !memcmp(loc->zones[i].abbr, zname, znlen)) {
				lz = loc->zones[i];
				known = 1;
			}
		if (known) {
			t.sec -= lz.offset;
			t.loc = loc;
			*out = t;
			return 0;
		}
		int32_t off = 0;
		if (znlen > 3 && !memcmp(zname, "GMT", 3)) {
			int h = 0;
			atoi_n(zname + 3, znlen - 3, &h);
			off = h * 3600;
		}
		t.loc = fixed_zone(a, arena_strndup(a, zname, znlen), off);
		*out = t;
		return 0;
	}
	*out = time_date(year, month, day, hour, min, sec, nsec, loc);
	return 0;

bad_prefix:
	/* Go names the whole literal and what is left of the value where it failed */
	elem = l;
	elen = next_chunk(l, ln).prefix;
bad_elem:
	buf_adds(err, "parsing time ");
	go_quote(err, value, vlen0);
	buf_adds(err, " as ");
	go_quote(err, layout, llen0);
	buf_adds(err, ": cannot parse ");
	go_quote(err, v, vn);
	buf_adds(err, " as ");
	go_quote(err, elem, elen);
	return -1;
fail_msg:
	buf_adds(err, "parsing time ");
	go_quote(err, value, vlen0);
	buf_adds(err, extra);
	return -1;
}

/* ---- durations ------------------------------------------------------------------------ */

/* Go's Duration.String(). */
static void duration_string(struct buf *b, int64_t d)
{
	char tmp[40];
	size_t w = sizeof(tmp);
	uint64_t u = d < 0 ? -(uint64_t)d : (uint64_t)d;
	/* the fraction: prec digits of u, trailing zeros and a lone '.' dropped */
#define FRAC(prec)                                                                      \
	do {                                                                            \
		int printed = 0;                                                        \
		for (int i = 0; i < (prec); i++) {                                      \
			unsigned digit = (unsigned)(u % 10);                            \
			printed = printed || digit != 0;                                \
			if (printed)                                                    \
				tmp[--w] = (char)('0' + digit);                         \
			u /= 10;                                                        \
		}                                                                       \
		if (printed)                                                            \
			tmp[--w] = '.';                                                 \
	} while (0)
#define INT(v)                                                                          \
	do {                                                                            \
		uint64_t v_ = (v);                                                      \
		if (v_ == 0)                                                            \
			tmp[--w] = '0';                                                 \
		while (v_ > 0) {                                                        \
			tmp[--w] = (char)('0' + v_ % 10);                               \
			v_ /= 10;                                                       \
		}                                                                       \
	} while (0)
	if (u < (uint64_t)NS_PER_SEC) {
		int prec;
		tmp[--w] = 's';
		if (u == 0) {
			buf_adds(b, "0s");
			return;
		} else if (u < 1000) {
			prec = 0;
			tmp[--w] = 'n';
		} else if (u < 1000000) {
			prec = 3;
			tmp[--w] = '\xb5';
			tmp[--w] = '\xc2';
		} else {
			prec = 6;
			tmp[--w] = 'm';
		}
		FRAC(prec);
		INT(u);
	} else {
		tmp[--w] = 's';
		FRAC(9);
		INT(u % 60);
		u /= 60;
		if (u > 0) {
			tmp[--w] = 'm';
			INT(u % 60);
			u /= 60;
			if (u > 0) {
				tmp[--w] = 'h';
				INT(u);
			}
		}
	}
#undef FRAC
#undef INT
	if (d < 0)
		tmp[--w] = '-';
	buf_add(b, tmp + w, sizeof(tmp) - w);
}

/* Go's time.ParseDuration. 0 with *out, or -1 with Go's message in err. */
static int duration_parse_go(const char *s0, size_t n, int64_t *out, struct buf *err)
{
	const char *s = s0;
	uint64_t d = 0;
	int neg = 0;
	size_t i = 0;
	if (n && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i++;
	}
	if (n - i == 1 && s[i] == '0') {
		*out = 0;
		return 0;
	}
	if (i == n)
		goto invalid;
	while (i < n) {
		uint64_t v = 0, f = 0;
		double scale = 1;
		if (!(s[i] == '.' || (s[i] >= '0' && s[i] <= '9')))
			goto invalid;
		size_t st = i;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			if (v > (UINT64_C(1) << 63) / 10)
				goto invalid;
			v = v * 10 + (uint64_t)(s[i] - '0');
			if (v > UINT64_C(1) << 63)
				goto invalid;
		}
		int pre = i != st, post = 0;
		if (i < n && s[i] == '.') {
			i++;
			size_t fs = i;
			int overflow = 0;
			for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
				if (overflow)
					continue;
				if (f > (UINT64_C(1) << 63) / 10) {
					overflow = 1;
					continue;
				}
				uint64_t y = f * 10 + (uint64_t)(s[i] - '0');
				if (y > UINT64_C(1) << 63) {
					overflow = 1;
					continue;
				}
				f = y;
				scale *= 10;
			}
			post = i != fs;
		}
		if (!pre && !post)
			goto invalid;
		size_t us = i;
		while (i < n && s[i] != '.' && !(s[i] >= '0' && s[i] <= '9'))
			i++;
		if (i == us) {
			buf_adds(err, "time: missing unit in duration ");
			go_quote(err, s0, n);
			return -1;
		}
		static const struct { const char *u; uint64_t ns; } units[] = {
			{"ns", 1}, {"us", 1000}, {"\xc2\xb5s", 1000}, {"\xce\xbcs", 1000},
			{"ms", 1000000}, {"s", 1000000000}, {"m", 60000000000ULL},
			{"h", 3600000000000ULL},
		};
		uint64_t unit = 0;
		for (size_t k = 0; k < sizeof(units) / sizeof(units[0]); k++)
			if (strlen(units[k].u) == i - us && !memcmp(units[k].u, s + us, i - us))
				unit = units[k].ns;
		if (!unit) {
			buf_adds(err, "time: unknown unit ");
			go_quote(err, s + us, i - us);
			buf_adds(err, " in duration ");
			go_quote(err, s0, n);
			return -1;
		}
		if (v > (UINT64_C(1) << 63) / unit)
			goto invalid;
		v *= unit;
		if (f > 0) {
			v += (uint64_t)((double)f * ((double)unit / scale));
			if (v > UINT64_C(1) << 63)
				goto invalid;
		}
		d += v;
		if (d > UINT64_C(1) << 63)
			goto invalid;
	}
	if (neg) {
		*out = (int64_t)(0 - d);
		return 0;
	}
	if (d > (uint64_t)INT64_MAX)
		goto invalid;
	*out = (int64_t)d;
	return 0;
invalid:
	buf_adds(err, "time: invalid duration ");
	go_quote(err, s0, n);
	return -1;
}

/* ---- the time.Time object ------------------------------------------------------------ */

/* time.Month and time.Weekday: integers that print their English names. */
static int enum_member(struct texec *x, const struct tv *self, const char *name,
		       struct tv *const *args, size_t nargs, bool has_args, struct tv **out)
{
	(void)args;
	(void)has_args;
	if (strcmp(name, "String"))
		return 0;
	if (nargs)
		return texec_fail(x, "wrong number of args for String: want 0 got %zu", nargs);
	struct buf b = BUF_INIT;
	self->u.obj.ops->format(&b, self);
	*out = tv_strn(texec_arena(x), b.ptr, b.len);
	buf_release(&b);
	return 1;
}

static struct tv *enum_to_data(struct texec *x, const struct tv *self)
{
	return tv_int(texec_arena(x), *(const int *)self->u.obj.data);
}

static void month_fmt(struct buf *out, const struct tv *self)
{
	buf_adds(out, long_months[*(const int *)self->u.obj.data - 1]);
}

static void weekday_fmt(struct buf *out, const struct tv *self)
{
	buf_adds(out, long_days[*(const int *)self->u.obj.data]);
}

static const struct tv_object_type month_type = {"time.Month", enum_member, enum_to_data,
						  month_fmt};
static const struct tv_object_type weekday_type = {"time.Weekday", enum_member, enum_to_data,
						    weekday_fmt};

static int want(struct texec *x, const char *name, size_t nargs, size_t n)
{
	if (nargs == n)
		return 0;
	return texec_fail(x, "wrong number of args for %s: want %zu got %zu", name, n, nargs);
}

static int int_arg(struct texec *x, const struct tv *v, const char *type, int64_t *out)
{
	if (v->kind == TV_INT && (!v->type || !strcmp(v->type, type) || !strcmp(type, "int"))) {
		*out = v->u.i;
		return 0;
	}
	return texec_fail(x, "wrong type for value; expected %s; got %s", type, tv_type_name(v));
}

static int time_member(struct texec *x, const struct tv *self, const char *name,
		       struct tv *const *args, size_t nargs, bool has_args, struct tv **out)
{
	struct arena *a = texec_arena(x);
	const struct gtime *t = self->u.obj.data;
	(void)has_args;
	int rc;
	static const char *const ints[] = {"Year", "Day", "Hour", "Minute", "Second",
					   "Nanosecond", "YearDay"};
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		if (strcmp(name, ints[i]))
			continue;
		if ((rc = want(x, name, nargs, 0)))
			return rc;
		struct civil c = time_civil(t);
		int64_t v[] = {c.year, c.day, c.hour, c.min, c.sec, t->nsec, c.yday};
		*out = tv_int(a, v[i]);
		return 1;
	}
	if (!strcmp(name, "Unix") || !strcmp(name, "UnixMilli") || !strcmp(name, "UnixMicro") ||
	    !strcmp(name, "UnixNano")) {
		if ((rc = want(x, name, nargs, 0)))
			return rc;
		__int128 v = t->sec;
		if (name[4] == 'M' && name[6] == 'l')
			v = v * 1000 + t->nsec / 1000000;
		else if (name[4] == 'M')
			v = v * 1000000 + t->nsec / 1000;
		else if (name[4] == 'N')
			v = v * NS_PER_SEC + t->nsec;
		*out = tv_int_typed(a, (int64_t)v, "int64");
		return 1;
	}
	if (!strcmp(name, "Month") || !strcmp(name, "Weekday")) {
		if ((rc = want(x, name, nargs, 0)))
			return rc;
		struct civil c = time_civil(t);
		int *n = arena_alloc(a, sizeof(*n));
		*n = name[0] == 'M' ? c.month : c.wday;
		*out = tv_object(a, name[0] == 'M' ? &month_type : &weekday_type, n);
		(*out)->type = name[0] == 'M' ? "time.Month" : "time.Weekday";
		return 1;
	}
	if (!strcmp(name, "String") || !strcmp(name, "Format")) {
		if ((rc = want(x, name, nargs, name[0] == 'F')))
			return rc;
		struct buf b = BUF_INIT;
		if (name[0] == 'F') {
			if (args[0]->kind != TV_STRING) {
				buf_release(&b);
				return texec_fail(x, "wrong type for value; expected string; got %s",
						  tv_type_name(args[0]));
			}
			time_format(&b, t, args[0]->u.s.ptr, args[0]->u.s.len);
		} else {
			time_string(&b, t);
		}
		*out = tv_strn(a, b.ptr, b.len);
		buf_release(&b);
		return 1;
	}
	if (!strcmp(name, "IsZero")) {
		if ((rc = want(x, name, nargs, 0)))
			return rc;
		*out = tv_bool(t->sec == ZERO_UNIX && t->nsec == 0);
		return 1;
	}
	if (!strcmp(name, "UTC") || !strcmp(name, "Local")) {
		if ((rc = want(x, name, nargs, 0)))
			return rc;
		struct gtime n = *t;
		n.has_mono = false;
		n.loc = name[0] == 'U' ? &loc_utc : &loc_local;
		*out = time_value(a, &n);
		return 1;
	}
	if (!strcmp(name, "Add")) {
		int64_t d;
		if ((rc = want(x, name, nargs, 1)) || (rc = int_arg(x, args[0], "time.Duration", &d)))
			return rc;
		struct gtime n = time_add(*t, d);
		*out = time_value(a, &n);
		return 1;
	}
	if (!strcmp(name, "AddDate")) {
		int64_t y, m, d;
		if ((rc = want(x, name, nargs, 3)) || (rc = int_arg(x, args[0], "int", &y)) ||
		    (rc = int_arg(x, args[1], "int", &m)) || (rc = int_arg(x, args[2], "int", &d)))
			return rc;
		if (y > 1000000 || y < -1000000 || m > 12000000 || m < -12000000 ||
		    d > 400000000 || d < -400000000)
			return texec_fail(x, "AddDate: offset out of range");
		struct civil c = time_civil(t);
		struct gtime n = time_date(c.year + y, (int)(c.month + m), (int)(c.day + d), c.hour,
					   c.min, c.sec, t->nsec, t->loc);
		*out = time_value(a, &n);
		return 1;
	}
	if (!strcmp(name, "Before") || !strcmp(name, "After") || !strcmp(name, "Equal") ||
	    !strcmp(name, "Sub")) {
		if ((rc = want(x, name, nargs, 1)))
			return rc;
		const struct gtime *o = as_time(args[0]);
		if (!o)
			return texec_fail(x, "wrong type for value; expected time.Time; got %s",
					  tv_type_name(args[0]));
		int64_t d = time_sub(t, o);
		if (name[0] == 'S')
			*out = tv_int_typed(a, d, "time.Duration");
		else
			*out = tv_bool(name[0] == 'B' ? d < 0 : name[0] == 'A' ? d > 0 : d == 0);
		return 1;
	}
	return 0;
}

static struct tv *time_to_data(struct texec *x, const struct tv *self)
{
	static const char rfc3339nano[] = "2006-01-02T15:04:05.999999999Z07:00";
	struct buf b = BUF_INIT;
	time_format(&b, self->u.obj.data, rfc3339nano, sizeof(rfc3339nano) - 1);
	struct tv *v = tv_strn(texec_arena(x), b.ptr, b.len);
	buf_release(&b);
	return v;
}

static void time_fmt(struct buf *out, const struct tv *self)
{
	time_string(out, self->u.obj.data);
}

static const struct tv_object_type time_type = {"time.Time", time_member, time_to_data,
						 time_fmt};

/* ---- sprig's functions ---------------------------------------------------------------- */

static struct tv *str_of(struct texec *x, struct buf *b)
{
	struct tv *v = tv_strn(texec_arena(x), b->ptr, b->len);
	buf_release(b);
	return v;
}

/* dateInZone's date argument: a time.Time, or int/int64/int32 Unix seconds; anything
 * else is now, as sprig's type switch has it. */
static struct gtime date_arg(const struct tv *v)
{
	const struct gtime *t = as_time(v);
	if (t)
		return *t;
	if (v->kind == TV_INT && (!v->type || !strcmp(v->type, "int") ||
				  !strcmp(v->type, "int64") || !strcmp(v->type, "int32")))
		return time_unix(v->u.i);
	return time_now();
}

static int format_in_zone(struct texec *x, const char *layout, size_t ln, const struct tv *date,
			  const char *zone, size_t zn, struct tv **out)
{
	struct gtime t = date_arg(date);
	const struct gloc *loc = load_location(texec_arena(x), zone, zn);
	t.loc = loc ? loc : &loc_utc;
	struct buf b = BUF_INIT;
	time_format(&b, &t, layout, ln);
	*out = str_of(x, &b);
	return 0;
}

static int f_date(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return format_in_zone(x, args[0]->u.s.ptr, args[0]->u.s.len, args[1], "Local", 5, out);
}

static int f_dateInZone(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return format_in_zone(x, args[0]->u.s.ptr, args[0]->u.s.len, args[1], args[2]->u.s.ptr,
			      args[2]->u.s.len, out);
}

static int f_htmlDate(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return format_in_zone(x, "2006-01-02", 10, args[0], "Local", 5, out);
}

static int f_htmlDateInZone(struct texec *x, struct tv *const *args, size_t nargs,
			    struct tv **out)
{
	(void)nargs;
	return format_in_zone(x, "2006-01-02", 10, args[0], args[1]->u.s.ptr, args[1]->u.s.len,
			      out);
}

static int f_now(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)args;
	(void)nargs;
	struct gtime t = time_now();
	*out = time_value(texec_arena(x), &t);
	return 0;
}

static int time_param(struct texec *x, const struct tv *v, const struct gtime **out)
{
	*out = as_time(v);
	if (*out)
		return 0;
	return texec_fail(x, "wrong type for value; expected time.Time; got %s", tv_type_name(v));
}

static int date_modify(struct texec *x, struct tv *const *args, bool must, struct tv **out)
{
	const struct gtime *t;
	int rc = time_param(x, args[1], &t);
	if (rc)
		return rc;
	int64_t d;
	struct buf err = BUF_INIT;
	struct gtime n;
	if (duration_parse_go(args[0]->u.s.ptr, args[0]->u.s.len, &d, &err) != 0) {
		if (must) {
			rc = texec_fail(x, "%s", err.ptr);
			buf_release(&err);
			return rc;
		}
		n = *t;
	} else {
		n = time_add(*t, d);
	}
	buf_release(&err);
	*out = time_value(texec_arena(x), &n);
	return 0;
}

static int f_dateModify(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return date_modify(x, args, false, out);
}

static int f_mustDateModify(struct texec *x, struct tv *const *args, size_t nargs,
			    struct tv **out)
{
	(void)nargs;
	return date_modify(x, args, true, out);
}

static int f_ago(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const struct tv *v = args[0];
	struct gtime t, now = time_now();
	if (as_time(v))
		t = *as_time(v);
	else if (v->kind == TV_INT && (!v->type || !strcmp(v->type, "int") ||
				       !strcmp(v->type, "int64")))
		t = time_unix(v->u.i);
	else
		t = now;
	int64_t d = time_sub(&now, &t);
	/* Duration.Round(time.Second): halves away from zero, saturating */
	int64_t r = d % NS_PER_SEC, q;
	if (d < 0) {
		r = -r;
		if ((uint64_t)r * 2 < (uint64_t)NS_PER_SEC)
			q = d + r;
		else
			q = d + r >= INT64_MIN + NS_PER_SEC ? d + r - NS_PER_SEC : INT64_MIN;
	} else {
		if ((uint64_t)r * 2 < (uint64_t)NS_PER_SEC)
			q = d - r;
		else
			q = d - r <= INT64_MAX - NS_PER_SEC ? d - r + NS_PER_SEC : INT64_MAX;
	}
	struct buf b = BUF_INIT;
	duration_string(&b, q);
	*out = str_of(x, &b);
	return 0;
}

static int f_duration(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const struct tv *v = args[0];
	int64_t n = 0;
	if (v->kind == TV_STRING) {
		/* strconv.ParseInt(s, 10, 64) with its error ignored: a syntax error gives 0,
		 * a value out of range the bound */
		const char *s = v->u.s.ptr;
		size_t len = v->u.s.len, i = 0;
		int neg = 0;
		if (len && (s[0] == '+' || s[0] == '-')) {
			neg = s[0] == '-';
			i++;
		}
		uint64_t u = 0;
		int over = 0, ok = i < len;
		for (; i < len && ok; i++) {
			if (s[i] < '0' || s[i] > '9')
				ok = 0;
			else if (u > (UINT64_MAX - 9) / 10)
				over = 1;
			else
				u = u * 10 + (uint64_t)(s[i] - '0');
		}
		if (!ok)
			n = 0;
		else if (neg)
			n = over || u > (uint64_t)INT64_MAX + 1 ? INT64_MIN : (int64_t)(0 - u);
		else
			n = over || u > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)u;
	} else if (v->kind == TV_INT && v->type && !strcmp(v->type, "int64")) {
		n = v->u.i;
	}
	/* time.Duration(n) * time.Second wraps as Go's int64 multiplication does */
	int64_t d = (int64_t)((uint64_t)n * (uint64_t)NS_PER_SEC);
	struct buf b = BUF_INIT;
	duration_string(&b, d);
	*out = str_of(x, &b);
	return 0;
}

static int f_durationRound(struct texec *x, struct tv *const *args, size_t nargs,
			   struct tv **out)
{
	(void)nargs;
	const struct tv *v = args[0];
	int64_t d = 0;
	if (v->kind == TV_STRING) {
		struct buf err = BUF_INIT;
		if (duration_parse_go(v->u.s.ptr, v->u.s.len, &d, &err) != 0)
			d = 0;
		buf_release(&err);
	} else if (v->kind == TV_INT && v->type && !strcmp(v->type, "int64")) {
		d = v->u.i;
	} else if (as_time(v)) {
		struct gtime now = time_now();
		d = time_sub(&now, as_time(v));
	}
	uint64_t u = d < 0 ? -(uint64_t)d : (uint64_t)d;
	const uint64_t second = NS_PER_SEC, minute = 60 * second, hour = 60 * minute,
		       day = 24 * hour, month = 30 * day, year = 365 * day;
	char s[32];
	if (u > year)
		snprintf(s, sizeof(s), "%lluy", (unsigned long long)(u / year));
	else if (u > month)
		snprintf(s, sizeof(s), "%llumo", (unsigned long long)(u / month));
	else if (u > day)
		snprintf(s, sizeof(s), "%llud", (unsigned long long)(u / day));
	else if (u > hour)
		snprintf(s, sizeof(s), "%lluh", (unsigned long long)(u / hour));
	else if (u > minute)
		snprintf(s, sizeof(s), "%llum", (unsigned long long)(u / minute));
	else if (u > second)
		snprintf(s, sizeof(s), "%llus", (unsigned long long)(u / second));
	else
		snprintf(s, sizeof(s), "0s");
	*out = tv_str(texec_arena(x), s);
	return 0;
}

static int to_date(struct texec *x, struct tv *const *args, bool must, struct tv **out)
{
	struct gtime t;
	struct buf err = BUF_INIT;
	const struct tv *l = args[0], *v = args[1];
	if (time_parse(texec_arena(x), l->u.s.ptr, l->u.s.len, v->u.s.ptr, v->u.s.len,
		       &loc_local, &t, &err) != 0) {
		if (must) {
			int rc = texec_fail(x, "%s", err.ptr);
			buf_release(&err);
			return rc;
		}
		t = (struct gtime){ZERO_UNIX, 0, false, 0, &loc_utc};
	}
	buf_release(&err);
	*out = time_value(texec_arena(x), &t);
	return 0;
}

static int f_toDate(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return to_date(x, args, false, out);
}

static int f_mustToDate(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return to_date(x, args, true, out);
}

static int f_unixEpoch(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const struct gtime *t;
	int rc = time_param(x, args[0], &t);
	if (rc)
		return rc;
	*out = tv_str(texec_arena(x), arena_sprintf(texec_arena(x), "%lld", (long long)t->sec));
	return 0;
}

static const struct tfunc funcs[] = {
	{"ago", f_ago, "a", "s"},
	{"date", f_date, "sa", "s"},
	{"date_in_zone", f_dateInZone, "sas", "s"},
	{"date_modify", f_dateModify, "sa", "a"},
	{"dateInZone", f_dateInZone, "sas", "s"},
	{"dateModify", f_dateModify, "sa", "a"},
	{"duration", f_duration, "a", "s"},
	{"durationRound", f_durationRound, "a", "s"},
	{"htmlDate", f_htmlDate, "a", "s"},
	{"htmlDateInZone", f_htmlDateInZone, "as", "s"},
	{"must_date_modify", f_mustDateModify, "sa", "ae"},
	{"mustDateModify", f_mustDateModify, "sa", "ae"},
	{"mustToDate", f_mustToDate, "ss", "ae"},
	{"now", f_now, "", "a"},
	{"toDate", f_toDate, "ss", "a"},
	{"unixEpoch", f_unixEpoch, "a", "s"},
};

const struct tfunc_table tfuncs_sprig_date = {funcs, sizeof(funcs) / sizeof(funcs[0])};
