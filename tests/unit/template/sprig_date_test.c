/* sprig's dates and the pieces of Go's time package under them (src/template/sprig_date.c,
 * included whole so its layout, parser and duration helpers are reachable): expected
 * values printed by Go 1.19 (TZ=UTC) for the same inputs, and the conformance cases
 * sprig-date-*, sprig-todate-unixepoch, sprig-duration-types, sprig-durationround. */
#include "test.h"

#include "template/sprig_date.c"

static struct arena *A;
static struct texec X;

static const struct tfunc *find(const char *name)
{
	for (size_t i = 0; i < tfuncs_sprig_date.len; i++)
		if (!strcmp(tfuncs_sprig_date.funcs[i].name, name))
			return &tfuncs_sprig_date.funcs[i];
	return NULL;
}

static struct tv *call(const char *name, struct tv *a0, struct tv *a1, struct tv *a2, int *rc)
{
	struct tv *args[3] = {a0, a1, a2};
	size_t n = a2 ? 3 : a1 ? 2 : a0 ? 1 : 0;
	struct tv *out = NULL;
	*rc = find(name)->impl(&X, args, n, &out);
	return out;
}

static const char *S(const char *s)
{
	return s;
}

static struct tv *str(const char *s)
{
	return tv_str(A, s);
}

static const char *tstring(const struct tv *t)
{
	struct buf b = BUF_INIT;
	time_string(&b, t->u.obj.data);
	char *s = arena_strndup(A, b.ptr, b.len);
	buf_release(&b);
	return s;
}

/* mustToDate(layout, value): "String() @unix" or "ERR:<message>". */
static const char *parse(const char *layout, const char *value)
{
	int rc;
	struct tv *t = call("mustToDate", str(layout), str(value), NULL, &rc);
	if (rc)
		return arena_sprintf(A, "ERR:%s", texec_message(&X));
	return arena_sprintf(A, "%s @%lld", tstring(t),
			     (long long)((const struct gtime *)t->u.obj.data)->sec);
}

#define P(l, v, want) CHECK_STR(parse(l, v), S(want))

static const char *format(struct tv *t, const char *layout)
{
	struct tv *args[1] = {str(layout)}, *out = NULL;
	if (t->u.obj.ops->member(&X, t, "Format", args, 1, true, &out) != 1)
		return "ERR";
	return out->u.s.ptr;
}

#define F(t, l, want) CHECK_STR(format(t, l), S(want))

static const char *in_zone(const char *zone, long long unix)
{
	int rc;
	struct tv *out = call("dateInZone", str("2006-01-02 15:04:05 -0700 MST"),
			      tv_int_typed(A, unix, "int64"), str(zone), &rc);
	return rc ? "ERR" : out->u.s.ptr;
}

#define Z(zone, unix, want) CHECK_STR(in_zone(zone, unix), S(want))

static const char *dur(const char *s)
{
	struct buf err = BUF_INIT, b = BUF_INIT;
	int64_t d;
	const char *r;
	if (duration_parse_go(s, strlen(s), &d, &err) != 0) {
		r = arena_sprintf(A, "ERR:%s", err.ptr);
	} else {
		duration_string(&b, d);
		r = arena_strndup(A, b.ptr, b.len);
	}
	buf_release(&err);
	buf_release(&b);
	return r;
}

#define D(s, want) CHECK_STR(dur(s), S(want))

TEST(parse_layouts)
{
	P("2006-01-02T15:04:05.000Z07:00", "2023-07-04T09:08:07.123Z", "2023-07-04 09:08:07.123 +0000 UTC @1688461687");
	P("2006-01-02T15:04:05Z07:00", "2024-02-29T13:05:00+02:00", "2024-02-29 13:05:00 +0200 +0200 @1709204700");
	P("2006-01-02T15:04:05Z07:00", "2023-07-04T09:08:07+05:30", "2023-07-04 09:08:07 +0530 +0530 @1688441887");
	P("2006-01-02T15:04:05Z07:00", "1970-01-01T01:00:00+01:00", "1970-01-01 01:00:00 +0100 +0100 @0");
	P("2006-01-02", "2024-13-45", "ERR:parsing time \"2024-13-45\": month out of range");
	P("2006-01-02", "not a date", "ERR:parsing time \"not a date\" as \"2006-01-02\": cannot parse \"not a date\" as \"2006\"");
	P("2006-01-02", "2024-02-30", "ERR:parsing time \"2024-02-30\": day out of range");
	P("2006-01-02", "2023-02-29", "ERR:parsing time \"2023-02-29\": day out of range");
	P("2006-01-02", "2024-02-29", "2024-02-29 00:00:00 +0000 UTC @1709164800");
	P("2006-01-02 15:04:05", "2024-01-02 03:04:05.123456789", "2024-01-02 03:04:05.123456789 +0000 UTC @1704164645");
	P("2006-01-02 15:04:05", "2024-01-02 03:04:05 extra", "ERR:parsing time \"2024-01-02 03:04:05 extra\": extra text: \" extra\"");
	P("2006-01-02 15:04:05 MST", "2024-01-02 03:04:05 PST", "2024-01-02 03:04:05 +0000 PST @1704164645");
	P("2006-01-02 15:04:05 MST", "2024-01-02 03:04:05 UTC", "2024-01-02 03:04:05 +0000 UTC @1704164645");
	P("2006-01-02 15:04:05 MST", "2024-01-02 03:04:05 GMT+3", "2024-01-02 06:04:05 +0300 GMT+3 @1704164645");
	P("2006-01-02 15:04:05 -0700 MST", "2024-01-02 03:04:05 +0000 UTC", "2024-01-02 03:04:05 +0000 UTC @1704164645");
	P("2006-01-02 15:04:05 -0700 MST", "2024-01-02 03:04:05 -0800 PST", "2024-01-02 03:04:05 -0800 PST @1704193445");
	P("Jan _2 2006 3:04PM", "Feb  3 2013 1:05AM", "2013-02-03 01:05:00 +0000 UTC @1359853500");
	P("Jan _2 2006 3:04PM", "feb 3 2013 12:05AM", "2013-02-03 00:05:00 +0000 UTC @1359849900");
	P("Jan _2 2006 3:04PM", "Feb 3 2013 12:05PM", "2013-02-03 12:05:00 +0000 UTC @1359893100");
	P("January 2, 2006", "March 9, 2021", "2021-03-09 00:00:00 +0000 UTC @1615248000");
	P("Monday, 02-Jan-06", "Tuesday, 04-Jul-23", "2023-07-04 00:00:00 +0000 UTC @1688428800");
	P("Monday, 02-Jan-06", "Tusday, 04-Jul-23", "ERR:parsing time \"Tusday, 04-Jul-23\" as \"Monday, 02-Jan-06\": cannot parse \"Tusday, 04-Jul-23\" as \"Monday\"");
	P("2006 002", "2024 060", "2024-02-29 00:00:00 +0000 UTC @1709164800");
	P("2006 __2", "2024  61", "2024-03-01 00:00:00 +0000 UTC @1709251200");
	P("2006 002", "2023 366", "ERR:parsing time \"2023 366\": day-of-year out of range");
	P("2006-01-02 002", "2024-03-02 061", "ERR:parsing time \"2024-03-02 061\": day-of-year does not match day");
	P("15:04:05.000", "10:11:12.5", "ERR:parsing time \"10:11:12.5\" as \"15:04:05.000\": cannot parse \".5\" as \".000\"");
	P("15:04:05.999", "10:11:12.5", "0000-01-01 10:11:12.5 +0000 UTC @-62167182528");
	P("15:04:05,000", "10:11:12,123", "0000-01-01 10:11:12.123 +0000 UTC @-62167182528");
	P("15:04", "25:00", "ERR:parsing time \"25:00\": hour out of range");
	P("15:04", "10:61", "ERR:parsing time \"10:61\": minute out of range");
	P("3 pm", "13 pm", "ERR:parsing time \"13 pm\": hour out of range");
	P("06-01-02", "68-01-02", "2068-01-02 00:00:00 +0000 UTC @3092688000");
	P("06-01-02", "69-01-02", "1969-01-02 00:00:00 +0000 UTC @-31449600");
	P("2006-01-02T15:04:05Z0700", "2024-01-02T03:04:05-0130", "2024-01-02 03:04:05 -0130 -0130 @1704170045");
	P("2006-01-02T15:04:05-07", "2024-01-02T03:04:05+09", "2024-01-02 03:04:05 +0900 +0900 @1704132245");
	P("2006-01-02T15:04:05-07:00:00", "2024-01-02T03:04:05+01:02:03", "2024-01-02 03:04:05 +0102 +0102 @1704160922");
	P("2006-01-02T15:04:05Z07:00", "2024-01-02T03:04:05", "ERR:parsing time \"2024-01-02T03:04:05\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"Z07:00\"");
	P("2006-01-02T15:04:05Z07:00", "2024-01-02T03:04:05X07:00", "ERR:parsing time \"2024-01-02T03:04:05X07:00\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"Z07:00\"");
	P("", "", "0000-01-01 00:00:00 +0000 UTC @-62167219200");
	P("", "x", "ERR:parsing time \"x\": extra text: \"x\"");
	P("literal", "literal", "0000-01-01 00:00:00 +0000 UTC @-62167219200");
	P("a  b", "a b", "0000-01-01 00:00:00 +0000 UTC @-62167219200");
	P("a b", "ab", "ERR:parsing time \"ab\" as \"a b\": cannot parse \"b\" as \"a b\"");
	P("2006-01-02", "2024-1-02", "ERR:parsing time \"2024-1-02\" as \"2006-01-02\": cannot parse \"1-02\" as \"01\"");
	P("2006-1-2", "2024-1-2", "2024-01-02 00:00:00 +0000 UTC @1704153600");
	P("_2006", "_2024", "2024-01-01 00:00:00 +0000 UTC @1704067200");
	P("Z07", "Z", "0000-01-01 00:00:00 +0000 UTC @-62167219200");
}

TEST(format_layouts)
{
	int rc;
	struct tv *base = call("toDate", str("2006-01-02T15:04:05.000Z07:00"),
			       str("2023-07-04T09:08:07.123Z"), NULL, &rc);
	struct tv *off = call("toDate", str("2006-01-02T15:04:05Z07:00"),
			      str("2023-07-04T09:08:07+05:30"), NULL, &rc);
	F(base, "Monday, 02-Jan-06 15:04:05.000 MST", "Tuesday, 04-Jul-23 09:08:07.123 UTC");
	F(off, "Monday, 02-Jan-06 15:04:05.000 MST", "Tuesday, 04-Jul-23 09:08:07.000 +0530");
	F(base, "Jan 2, 2006 at 3:04pm (MST) Z0700", "Jul 4, 2023 at 9:08am (UTC) Z");
	F(off, "Jan 2, 2006 at 3:04pm (MST) Z0700", "Jul 4, 2023 at 9:08am (+0530) +0530");
	F(base, "2006.01.02 .999 __2 002", "2023.07.04 .123 185 185");
	F(off, "2006.01.02 .999 __2 002", "2023.07.04  185 185");
	F(base, "Mon Jan _2 15:04:05 2006", "Tue Jul  4 09:08:07 2023");
	F(off, "Mon Jan _2 15:04:05 2006", "Tue Jul  4 09:08:07 2023");
	F(base, "3:04PM 03:04:05 pm", "9:08AM 09:08:07 am");
	F(off, "3:04PM 03:04:05 pm", "9:08AM 09:08:07 am");
	F(base, "Z07:00 -07 -070000 -07:00:00 Z070000 Z07:00:00", "Z +00 +000000 +00:00:00 Z Z");
	F(off, "Z07:00 -07 -070000 -07:00:00 Z070000 Z07:00:00", "+05:30 +05 +053000 +05:30:00 +053000 +05:30:00");
	F(base, "January Monday", "July Tuesday");
	F(off, "January Monday", "July Tuesday");
	F(base, ".000000 ,999 .9 .000000000000", ".123000 ,123 .1 .123000000");
	F(off, ".000000 ,999 .9 .000000000000", ".000000   .000000000");
	F(base, "Jan2006 Janu Mond Monda MSTx", "Jul2023 Janu Mond Monda UTCx");
	F(off, "Jan2006 Janu Mond Monda MSTx", "Jul2023 Janu Mond Monda +0530x");
	F(base, "1/2/06 15h", "7/4/23 09h");
	F(off, "1/2/06 15h", "7/4/23 09h");
	F(base, "_2 __2 _2006", " 4 185 _2023");
	F(off, "_2 __2 _2006", " 4 185 _2023");
	F(base, "", "");
	F(off, "", "");
	F(base, "Mon, 02 Jan 2006 15:04:05 -0700", "Tue, 04 Jul 2023 09:08:07 +0000");
	F(off, "Mon, 02 Jan 2006 15:04:05 -0700", "Tue, 04 Jul 2023 09:08:07 +0530");
	F(base, "2006-01-02T15:04:05.999999999Z07:00", "2023-07-04T09:08:07.123Z");
	F(off, "2006-01-02T15:04:05.999999999Z07:00", "2023-07-04T09:08:07+05:30");
	F(base, "3:04PM", "9:08AM");
	F(off, "3:04PM", "9:08AM");
	F(base, "Mon Jan _2 15:04:05 2006", "Tue Jul  4 09:08:07 2023");
	F(off, "Mon Jan _2 15:04:05 2006", "Tue Jul  4 09:08:07 2023");
	F(base, "Mon Jan _2 15:04:05 MST 2006", "Tue Jul  4 09:08:07 UTC 2023");
	F(off, "Mon Jan _2 15:04:05 MST 2006", "Tue Jul  4 09:08:07 +0530 2023");
}

TEST(zones)
{
	Z("Europe/Berlin", 1688461687, "2023-07-04 11:08:07 +0200 CEST");
	Z("Europe/Berlin", 1700000000, "2023-11-14 23:13:20 +0100 CET");
	Z("Europe/Berlin", 0, "1970-01-01 01:00:00 +0100 CET");
	Z("Europe/Berlin", 2000000000, "2033-05-18 05:33:20 +0200 CEST");
	Z("Europe/Berlin", -1000000000, "1938-04-24 23:13:20 +0100 CET");
	Z("America/New_York", 1688461687, "2023-07-04 05:08:07 -0400 EDT");
	Z("America/New_York", 1700000000, "2023-11-14 17:13:20 -0500 EST");
	Z("America/New_York", 0, "1969-12-31 19:00:00 -0500 EST");
	Z("America/New_York", 2000000000, "2033-05-17 23:33:20 -0400 EDT");
	Z("America/New_York", -1000000000, "1938-04-24 18:13:20 -0400 EDT");
	Z("Asia/Kolkata", 1688461687, "2023-07-04 14:38:07 +0530 IST");
	Z("Asia/Kolkata", 1700000000, "2023-11-15 03:43:20 +0530 IST");
	Z("Asia/Kolkata", 0, "1970-01-01 05:30:00 +0530 IST");
	Z("Asia/Kolkata", 2000000000, "2033-05-18 09:03:20 +0530 IST");
	Z("Asia/Kolkata", -1000000000, "1938-04-25 03:43:20 +0530 IST");
	Z("Australia/Lord_Howe", 1688461687, "2023-07-04 19:38:07 +1030 +1030");
	Z("Australia/Lord_Howe", 1700000000, "2023-11-15 09:13:20 +1100 +11");
	Z("Australia/Lord_Howe", 0, "1970-01-01 10:00:00 +1000 AEST");
	Z("Australia/Lord_Howe", 2000000000, "2033-05-18 14:03:20 +1030 +1030");
	Z("Australia/Lord_Howe", -1000000000, "1938-04-25 08:13:20 +1000 AEST");
	/* names Go refuses, and unknown names, give UTC */
	Z("../../etc/passwd", 0, "1970-01-01 00:00:00 +0000 UTC");
	Z("/etc/localtime", 0, "1970-01-01 00:00:00 +0000 UTC");
	Z("No/Such_Zone", 0, "1970-01-01 00:00:00 +0000 UTC");
	Z("", 0, "1970-01-01 00:00:00 +0000 UTC");
	Z("Local", 0, "1970-01-01 00:00:00 +0000 UTC");
}

/* Past the zone files' last transition (2037): the TZif footer's POSIX rule. */
TEST(zones_by_rule)
{
	Z("Europe/Berlin", 2200000000, "2039-09-19 01:06:40 +0200 CEST");
	Z("Europe/Berlin", 2240000000, "2040-12-24 23:13:20 +0100 CET");
	Z("Europe/Berlin", 2260000000, "2041-08-13 11:46:40 +0200 CEST");
	Z("Europe/Berlin", 2280000000, "2042-04-01 23:20:00 +0200 CEST");
	Z("Europe/Berlin", 2500000000, "2049-03-22 05:26:40 +0100 CET");
	Z("Europe/Berlin", 2530000000, "2050-03-04 10:46:40 +0100 CET");
	Z("Europe/Berlin", 3000000000, "2065-01-24 06:20:00 +0100 CET");
	Z("Europe/Berlin", 4102444800, "2100-01-01 01:00:00 +0100 CET");
	Z("America/New_York", 2200000000, "2039-09-18 19:06:40 -0400 EDT");
	Z("America/New_York", 2240000000, "2040-12-24 17:13:20 -0500 EST");
	Z("America/New_York", 2260000000, "2041-08-13 05:46:40 -0400 EDT");
	Z("America/New_York", 2280000000, "2042-04-01 17:20:00 -0400 EDT");
	Z("America/New_York", 2500000000, "2049-03-22 00:26:40 -0400 EDT");
	Z("America/New_York", 2530000000, "2050-03-04 04:46:40 -0500 EST");
	Z("America/New_York", 3000000000, "2065-01-24 00:20:00 -0500 EST");
	Z("America/New_York", 4102444800, "2099-12-31 19:00:00 -0500 EST");
	Z("Australia/Sydney", 2200000000, "2039-09-19 09:06:40 +1000 AEST");
	Z("Australia/Sydney", 2240000000, "2040-12-25 09:13:20 +1100 AEDT");
	Z("Australia/Sydney", 2260000000, "2041-08-13 19:46:40 +1000 AEST");
	Z("Australia/Sydney", 2280000000, "2042-04-02 08:20:00 +1100 AEDT");
	Z("Australia/Sydney", 2500000000, "2049-03-22 15:26:40 +1100 AEDT");
	Z("Australia/Sydney", 2530000000, "2050-03-04 20:46:40 +1100 AEDT");
	Z("Australia/Sydney", 3000000000, "2065-01-24 16:20:00 +1100 AEDT");
	Z("Australia/Sydney", 4102444800, "2100-01-01 11:00:00 +1100 AEDT");
	Z("Australia/Lord_Howe", 2200000000, "2039-09-19 09:36:40 +1030 +1030");
	Z("Australia/Lord_Howe", 2240000000, "2040-12-25 09:13:20 +1100 +11");
	Z("Australia/Lord_Howe", 2260000000, "2041-08-13 20:16:40 +1030 +1030");
	Z("Australia/Lord_Howe", 2280000000, "2042-04-02 08:20:00 +1100 +11");
	Z("Australia/Lord_Howe", 2500000000, "2049-03-22 15:26:40 +1100 +11");
	Z("Australia/Lord_Howe", 2530000000, "2050-03-04 20:46:40 +1100 +11");
	Z("Australia/Lord_Howe", 3000000000, "2065-01-24 16:20:00 +1100 +11");
	Z("Australia/Lord_Howe", 4102444800, "2100-01-01 11:00:00 +1100 +11");
	Z("America/Sao_Paulo", 2200000000, "2039-09-18 20:06:40 -0300 -03");
	Z("America/Sao_Paulo", 2240000000, "2040-12-24 19:13:20 -0300 -03");
	Z("America/Sao_Paulo", 2260000000, "2041-08-13 06:46:40 -0300 -03");
	Z("America/Sao_Paulo", 2280000000, "2042-04-01 18:20:00 -0300 -03");
	Z("America/Sao_Paulo", 2500000000, "2049-03-22 01:26:40 -0300 -03");
	Z("America/Sao_Paulo", 2530000000, "2050-03-04 06:46:40 -0300 -03");
	Z("America/Sao_Paulo", 3000000000, "2065-01-24 02:20:00 -0300 -03");
	Z("America/Sao_Paulo", 4102444800, "2099-12-31 21:00:00 -0300 -03");
	Z("Asia/Tokyo", 2200000000, "2039-09-19 08:06:40 +0900 JST");
	Z("Asia/Tokyo", 2240000000, "2040-12-25 07:13:20 +0900 JST");
	Z("Asia/Tokyo", 2260000000, "2041-08-13 18:46:40 +0900 JST");
	Z("Asia/Tokyo", 2280000000, "2042-04-02 06:20:00 +0900 JST");
	Z("Asia/Tokyo", 2500000000, "2049-03-22 13:26:40 +0900 JST");
	Z("Asia/Tokyo", 2530000000, "2050-03-04 18:46:40 +0900 JST");
	Z("Asia/Tokyo", 3000000000, "2065-01-24 14:20:00 +0900 JST");
	Z("Asia/Tokyo", 4102444800, "2100-01-01 09:00:00 +0900 JST");
	Z("Africa/Casablanca", 2200000000, "2039-09-18 23:06:40 +0000 +00");
	Z("Africa/Casablanca", 2240000000, "2040-12-24 23:13:20 +0100 +01");
	Z("Africa/Casablanca", 2260000000, "2041-08-13 10:46:40 +0100 +01");
	Z("Africa/Casablanca", 2280000000, "2042-04-01 22:20:00 +0100 +01");
	Z("Africa/Casablanca", 2500000000, "2049-03-22 05:26:40 +0100 +01");
	Z("Africa/Casablanca", 2530000000, "2050-03-04 10:46:40 +0100 +01");
	Z("Africa/Casablanca", 3000000000, "2065-01-24 06:20:00 +0100 +01");
	Z("Africa/Casablanca", 4102444800, "2100-01-01 01:00:00 +0100 +01");
	Z("America/Santiago", 2200000000, "2039-09-18 20:06:40 -0300 -03");
	Z("America/Santiago", 2240000000, "2040-12-24 19:13:20 -0300 -03");
	Z("America/Santiago", 2260000000, "2041-08-13 05:46:40 -0400 -04");
	Z("America/Santiago", 2280000000, "2042-04-01 18:20:00 -0300 -03");
	Z("America/Santiago", 2500000000, "2049-03-22 01:26:40 -0300 -03");
	Z("America/Santiago", 2530000000, "2050-03-04 06:46:40 -0300 -03");
	Z("America/Santiago", 3000000000, "2065-01-24 02:20:00 -0300 -03");
	Z("America/Santiago", 4102444800, "2099-12-31 21:00:00 -0300 -03");
	Z("Pacific/Chatham", 2200000000, "2039-09-19 11:51:40 +1245 +1245");
	Z("Pacific/Chatham", 2240000000, "2040-12-25 11:58:20 +1345 +1345");
	Z("Pacific/Chatham", 2260000000, "2041-08-13 22:31:40 +1245 +1245");
	Z("Pacific/Chatham", 2280000000, "2042-04-02 11:05:00 +1345 +1345");
	Z("Pacific/Chatham", 2500000000, "2049-03-22 18:11:40 +1345 +1345");
	Z("Pacific/Chatham", 2530000000, "2050-03-04 23:31:40 +1345 +1345");
	Z("Pacific/Chatham", 3000000000, "2065-01-24 19:05:00 +1345 +1345");
	Z("Pacific/Chatham", 4102444800, "2100-01-01 13:45:00 +1345 +1345");
	Z("Europe/Dublin", 2200000000, "2039-09-19 00:06:40 +0100 IST");
	Z("Europe/Dublin", 2240000000, "2040-12-24 22:13:20 +0000 GMT");
	Z("Europe/Dublin", 2260000000, "2041-08-13 10:46:40 +0100 IST");
	Z("Europe/Dublin", 2280000000, "2042-04-01 22:20:00 +0100 IST");
	Z("Europe/Dublin", 2500000000, "2049-03-22 04:26:40 +0000 GMT");
	Z("Europe/Dublin", 2530000000, "2050-03-04 09:46:40 +0000 GMT");
	Z("Europe/Dublin", 3000000000, "2065-01-24 05:20:00 +0000 GMT");
	Z("Europe/Dublin", 4102444800, "2100-01-01 00:00:00 +0000 GMT");
}

TEST(durations)
{
	D("1h", "1h0m0s");
	D("-30m", "-30m0s");
	D("90m", "1h30m0s");
	D("1.5h", "1h30m0s");
	D("1h2m3.5s", "1h2m3.5s");
	D("1ns", "1ns");
	D("1us", "1µs");
	D("1µs", "1µs");
	D(".5s", "500ms");
	D("5.s", "5s");
	D("0", "0s");
	D("-0", "0s");
	D("+0", "0s");
	D("", "ERR:time: invalid duration \"\"");
	D("1", "ERR:time: missing unit in duration \"1\"");
	D("1x", "ERR:time: unknown unit \"x\" in duration \"1x\"");
	D("-", "ERR:time: invalid duration \"-\"");
	D(".s", "ERR:time: invalid duration \".s\"");
	D("9223372036854775807ns", "2562047h47m16.854775807s");
	D("9223372036854775808ns", "ERR:time: invalid duration \"9223372036854775808ns\"");
	D("-9223372036854775808ns", "-2562047h47m16.854775808s");
	D("2562047h47m16.854775807s", "2562047h47m16.854775807s");
	D("2562048h", "ERR:time: invalid duration \"2562048h\"");
	D("1.0000000000000000000001s", "1s");
	D("1e3s", "ERR:time: unknown unit \"e\" in duration \"1e3s\"");
}

/* The conformance cases' expressions, one by one. */
TEST(sprig_cases)
{
	int rc;
	struct tv *t = call("toDate", str("2006-01-02T15:04:05.000Z07:00"),
			    str("2023-07-04T09:08:07.123Z"), NULL, &rc);
	struct tv *out = call("dateInZone", str("Monday, 02-Jan-06 15:04:05.000 MST"), t,
			      str("UTC"), &rc);
	CHECK_STR(out->u.s.ptr, "Tuesday, 04-Jul-23 09:08:07.123 UTC");
	out = call("dateInZone", str("2006-01-02 15:04:05 MST"), tv_int(A, 0), str("UTC"), &rc);
	CHECK_STR(out->u.s.ptr, "1970-01-01 00:00:00 UTC");
	out = call("dateInZone", str("2006-01-02T15:04:05Z07:00"), tv_int(A, 1700000000),
		   str("UTC"), &rc);
	CHECK_STR(out->u.s.ptr, "2023-11-14T22:13:20Z");
	t = call("toDate", str("2006-01-02T15:04:05Z07:00"), str("2024-02-29T13:05:00+02:00"),
		 NULL, &rc);
	out = call("dateInZone", str("Mon Jan _2 2006 3:04PM"), t, str("UTC"), &rc);
	CHECK_STR(out->u.s.ptr, "Thu Feb 29 2024 11:05AM");

	t = call("toDate", str("2006-01-02T15:04:05Z07:00"), str("2024-01-31T23:30:00Z"), NULL,
		 &rc);
	struct tv *m = call("dateModify", str("1h"), t, NULL, &rc);
	CHECK_STR(call("unixEpoch", m, NULL, NULL, &rc)->u.s.ptr, "1706747400");
	m = call("date_modify", str("-30m"), t, NULL, &rc);
	CHECK_STR(call("unixEpoch", m, NULL, NULL, &rc)->u.s.ptr, "1706742000");
	m = call("dateModify", str("90m"), t, NULL, &rc);
	CHECK_STR(call("dateInZone", str("2006-01-02 15:04"), m, str("UTC"), &rc)->u.s.ptr,
		  "2024-02-01 01:00");
	m = call("dateModify", str("bogus"), t, NULL, &rc);
	CHECK_STR(call("unixEpoch", m, NULL, NULL, &rc)->u.s.ptr, "1706743800");
	call("mustDateModify", str("bogus"), t, NULL, &rc);
	CHECK_INT(rc, ERR_INVALID);
	CHECK_STR(texec_message(&X), "time: invalid duration \"bogus\"");
	call("dateModify", str("1h"), str("2024-01-01"), NULL, &rc);
	CHECK_STR(texec_message(&X), "wrong type for value; expected time.Time; got string");

	t = call("toDate", str("2006-01-02T15:04:05Z07:00"), str("2024-01-02T03:04:05Z"), NULL,
		 &rc);
	CHECK_STR(call("unixEpoch", t, NULL, NULL, &rc)->u.s.ptr, "1704164645");
	CHECK_STR(call("htmlDateInZone", t, str("UTC"), NULL, &rc)->u.s.ptr, "2024-01-02");
	t = call("toDate", str("2006-01-02"), str("not a date"), NULL, &rc);
	CHECK_INT(rc, 0);
	CHECK_STR(call("unixEpoch", t, NULL, NULL, &rc)->u.s.ptr, "-62135596800");
	CHECK_STR(tstring(t), "0001-01-01 00:00:00 +0000 UTC");
	call("mustToDate", str("2006-01-02"), str("2024-13-45"), NULL, &rc);
	CHECK_STR(texec_message(&X), "parsing time \"2024-13-45\": month out of range");

	/* duration: int64 and numeric strings count; int and float64 give 0s */
	CHECK_STR(call("duration", tv_int(A, 95), NULL, NULL, &rc)->u.s.ptr, "0s");
	CHECK_STR(call("duration", tv_int_typed(A, 95, "int64"), NULL, NULL, &rc)->u.s.ptr,
		  "1m35s");
	CHECK_STR(call("duration", str("3600"), NULL, NULL, &rc)->u.s.ptr, "1h0m0s");
	CHECK_STR(call("duration", str("86400"), NULL, NULL, &rc)->u.s.ptr, "24h0m0s");
	CHECK_STR(call("duration", str("1.5"), NULL, NULL, &rc)->u.s.ptr, "0s");
	CHECK_STR(call("duration", tv_float(A, 60), NULL, NULL, &rc)->u.s.ptr, "0s");
	CHECK_STR(call("duration", str("-60"), NULL, NULL, &rc)->u.s.ptr, "-1m0s");

	const char *dr[][2] = {{"2h10m5s", "2h"}, {"35s", "35s"}, {"400h", "16d"},
			       {"9000h", "1y"}, {"-5m", "5m"}, {"1000h", "1mo"}, {"1s", "0s"},
			       {"junk", "0s"}};
	for (size_t i = 0; i < sizeof(dr) / sizeof(dr[0]); i++)
		CHECK_STR(call("durationRound", str(dr[i][0]), NULL, NULL, &rc)->u.s.ptr, dr[i][1]);
	CHECK_STR(call("durationRound", tv_int(A, 95000000000), NULL, NULL, &rc)->u.s.ptr, "0s");
	CHECK_STR(call("durationRound", tv_int_typed(A, 95000000000, "int64"), NULL, NULL, &rc)
			  ->u.s.ptr,
		  "1m");
}

TEST(now_and_methods)
{
	int rc;
	struct tv *n = call("now", NULL, NULL, NULL, &rc);
	REQUIRE(rc == 0);
	CHECK_STR(n->u.obj.ops->name, "time.Time");
	CHECK_STR(n->type, "time.Time");
	CHECK(strstr(tstring(n), " +0000 UTC m=+") != NULL);
	CHECK_INT(strlen(call("date", str("2006"), n, NULL, &rc)->u.s.ptr), 4);
	CHECK_INT(strlen(call("htmlDate", n, NULL, NULL, &rc)->u.s.ptr), 10);
	CHECK(strtoll(call("unixEpoch", n, NULL, NULL, &rc)->u.s.ptr, NULL, 10) > 1700000000);
	CHECK_STR(call("ago", n, NULL, NULL, &rc)->u.s.ptr, "0s");
	/* now's fraction of a second rounds either way */
	const char *ago = call("ago", tv_int(A, ((const struct gtime *)n->u.obj.data)->sec - 3725),
			       NULL, NULL, &rc)->u.s.ptr;
	CHECK(!strcmp(ago, "1h2m5s") || !strcmp(ago, "1h2m6s"));

	struct tv *t = call("toDate", str("2006-01-02T15:04:05.000Z07:00"),
			    str("2023-07-04T09:08:07.123Z"), NULL, &rc);
	struct tv *none[1] = {NULL}, *out;
	const char *ints[][2] = {{"Year", "2023"}, {"Day", "4"}, {"Hour", "9"}, {"Minute", "8"},
				 {"Second", "7"}, {"Nanosecond", "123000000"}, {"YearDay", "185"},
				 {"Unix", "1688461687"}, {"UnixMilli", "1688461687123"}};
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		REQUIRE(t->u.obj.ops->member(&X, t, ints[i][0], none, 0, false, &out) == 1);
		CHECK_STR(arena_sprintf(A, "%lld", (long long)out->u.i), ints[i][1]);
	}
	REQUIRE(t->u.obj.ops->member(&X, t, "Month", none, 0, false, &out) == 1);
	struct buf b = BUF_INIT;
	out->u.obj.ops->format(&b, out);
	CHECK_STR(b.ptr, "July");
	buf_release(&b);
	struct tv *args[3] = {tv_int(A, 0), tv_int(A, 1), tv_int(A, 28)};
	REQUIRE(t->u.obj.ops->member(&X, t, "AddDate", args, 3, true, &out) == 1);
	CHECK_STR(tstring(out), "2023-09-01 09:08:07.123 +0000 UTC");
	args[0] = tv_int(A, 90 * NS_PER_SEC);
	REQUIRE(t->u.obj.ops->member(&X, t, "Add", args, 1, true, &out) == 1);
	CHECK_STR(tstring(out), "2023-07-04 09:09:37.123 +0000 UTC");
	args[0] = out;
	REQUIRE(t->u.obj.ops->member(&X, t, "Before", args, 1, true, &out) == 1);
	CHECK(out->u.b);
	REQUIRE(t->u.obj.ops->member(&X, t, "IsZero", none, 0, false, &out) == 1);
	CHECK(!out->u.b);
	CHECK_INT(t->u.obj.ops->member(&X, t, "Nope", none, 0, false, &out), 0);
	CHECK_STR(time_to_data(&X, t)->u.s.ptr, "2023-07-04T09:08:07.123Z");
}

int main(void)
{
	A = arena_new();
	texec_init_standalone(&X, A, NULL);
	RUN(parse_layouts);
	RUN(format_layouts);
	RUN(zones);
	RUN(zones_by_rule);
	RUN(durations);
	RUN(sprig_cases);
	RUN(now_and_methods);
	texec_release(&X);
	arena_free(A);
	return test_done();
}
