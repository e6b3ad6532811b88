/*
 * Printing template values as Go's fmt prints the Go values they stand for (template.h's
 * tfmt_*): Sprint's spacing, Sprintln, and Sprintf's verbs, flags, width, precision and
 * argument indexes with Go's %!verb(type=value) complaints, byte for byte. The structure
 * follows fmt's own split: a printer state with the flags of the verb being printed
 * (struct pp), the primitive formatters that pad and lay out one number or string, and the
 * value walk that recurses into lists and maps (Go's printValue, where elements of an
 * interface slice are printed as interfaces: a nil element is "<nil>" whatever the verb).
 *
 * Floats are exact: strconv's shortest round-trip digits come from trying precisions with
 * snprintf until the text reads back as the same float64 (or float32), and fixed
 * precisions from snprintf's correctly rounded digits; the layout ('e', 'f', 'g' choice,
 * two-digit exponents, the '#' flag's zeros) is Go's.
 *
 * Values can be cyclic (`set` can put a map into itself), which Go would print until its
 * stack blows: here the walk stops at MAX_DEPTH, or once the output passed MAX_OUTPUT or
 * the buffer's own cap, and marks the buffer's sticky error ERR_TOOBIG.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template/template_int.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

enum {
	MAX_DEPTH = 2000,
	MAX_OUTPUT = 64 << 20,
	TOO_LARGE = 1000000, /* Go's tooLarge: widths and precisions past 1e6 are not numbers */
};

static const char ldigits[] = "0123456789abcdefx";
static const char udigits[] = "0123456789ABCDEFX";

struct pp {
	struct buf *out;
	size_t start;
	bool stop;
	bool erroring;
	struct arena *arena; /* for sorting map keys and objects' to_data; made on demand */
	/* Go's fmtFlags, width and precision of the verb being printed */
	bool wid_present, prec_present, minus, plus, sharp, space, zero, plus_v, sharp_v;
	int wid, prec;
	/* Go's p.arg / p.value for badVerb: the value being printed, and whether it is the
	 * top-level argument (printArg) or an element reached through printValue */
	const struct tv *arg;
};

static void clear_flags(struct pp *p)
{
	p->wid_present = p->prec_present = p->minus = p->plus = p->sharp = false;
	p->space = p->zero = p->plus_v = p->sharp_v = false;
	p->wid = p->prec = 0;
}

static bool over(struct pp *p)
{
	if (p->stop)
		return true;
	if (p->out->err || p->out->len - p->start > MAX_OUTPUT) {
		p->out->err = ERR_TOOBIG;
		p->stop = true;
	}
	return p->stop;
}

static struct arena *pp_arena(struct pp *p)
{
	if (!p->arena)
		p->arena = arena_new();
	return p->arena;
}

/* ---- Padding and the primitive formatters (Go's fmt/format.go) ------------------- */

/* utf8.RuneCount: each invalid byte counts as one rune. */
static size_t rune_count(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; count++) {
		size_t k = utf8_valid_prefix(s + i, n - i);
		i += k ? k : 1;
	}
	return count;
}

static void write_padding(struct pp *p, long n)
{
	if (n > 0)
		buf_addnch(p->out, p->zero ? '0' : ' ', (size_t)n);
}

static void pad(struct pp *p, const char *s, size_t n)
{
	if (!p->wid_present || p->wid == 0) {
		buf_add(p->out, s, n);
		return;
	}
	long width = (long)p->wid - (long)rune_count(s, n);
	if (!p->minus) {
		write_padding(p, width);
		buf_add(p->out, s, n);
	} else {
		buf_add(p->out, s, n);
		write_padding(p, width);
	}
}

static void pads(struct pp *p, const char *s)
{
	pad(p, s, strlen(s));
}

/* pad() with zero padding off (numbers that pad their own zeros, %U, Inf). */
static void pad_nozero(struct pp *p, const char *s, size_t n)
{
	bool z = p->zero;
	p->zero = false;
	pad(p, s, n);
	p->zero = z;
}

static void fmt_boolean(struct pp *p, bool v)
{
	pads(p, v ? "true" : "false");
}

static void fmt_integer(struct pp *p, uint64_t u, int base, bool is_signed, int verb,
			const char *digits)
{
	bool negative = is_signed && (int64_t)u < 0;
	if (negative)
		u = 0 - u;
	size_t size = 68;
	if (p->wid_present || p->prec_present)
		size += 3 + (size_t)p->wid + (size_t)p->prec;
	char small[80];
	char *b = size <= sizeof(small) ? small : xmalloc(size);
	long prec = 0;
	if (p->prec_present) {
		prec = p->prec;
		if (prec == 0 && u == 0) {
			bool z = p->zero;
			p->zero = false;
			write_padding(p, p->wid);
			p->zero = z;
			goto done;
		}
	} else if (p->zero && p->wid_present) {
		prec = p->wid;
		if (negative || p->plus || p->space)
			prec--; /* room for the sign */
	}
	size_t i = size;
	switch (base) {
	case 10:
		for (; u >= 10; u /= 10)
			b[--i] = (char)('0' + u % 10);
		break;
	case 16:
		for (; u >= 16; u >>= 4)
			b[--i] = digits[u & 0xF];
		break;
	case 8:
		for (; u >= 8; u >>= 3)
			b[--i] = (char)('0' + (u & 7));
		break;
	default:
		for (; u >= 2; u >>= 1)
			b[--i] = (char)('0' + (u & 1));
		break;
	}
	b[--i] = digits[u];
	while (i > 0 && prec > (long)(size - i))
		b[--i] = '0';
	if (p->sharp) {
		if (base == 2) {
			b[--i] = 'b';
			b[--i] = '0';
		} else if (base == 8 && b[i] != '0') {
			b[--i] = '0';
		} else if (base == 16) {
			b[--i] = digits[16];
			b[--i] = '0';
		}
	}
	if (verb == 'O') {
		b[--i] = 'o';
		b[--i] = '0';
	}
	if (negative)
		b[--i] = '-';
	else if (p->plus)
		b[--i] = '+';
	else if (p->space)
		b[--i] = ' ';
	pad_nozero(p, b + i, size - i);
done:
	if (b != small)
		free(b);
}

/* %x of a pointer-sized value with or without 0x (Go's fmt0x64). */
static void fmt_0x64(struct pp *p, uint64_t v, bool leading0x)
{
	bool sharp = p->sharp;
	p->sharp = leading0x;
	fmt_integer(p, v, 16, false, 'v', ldigits);
	p->sharp = sharp;
}

/* The printable code points past ASCII as Go 1.19's strconv.IsPrint sees them (Unicode
 * 13's letters, marks, numbers, punctuation and symbols), as inclusive ranges, generated
 * from Go itself. */
static const struct { uint32_t lo, hi; } print_ranges[] = {
	{0xa1,0xac}, {0xae,0x377}, {0x37a,0x37f}, {0x384,0x38a}, {0x38c,0x38c}, {0x38e,0x3a1},
	{0x3a3,0x52f}, {0x531,0x556}, {0x559,0x58a}, {0x58d,0x58f}, {0x591,0x5c7}, {0x5d0,0x5ea},
	{0x5ef,0x5f4}, {0x606,0x61b}, {0x61e,0x6dc}, {0x6de,0x70d}, {0x710,0x74a}, {0x74d,0x7b1},
	{0x7c0,0x7fa}, {0x7fd,0x82d}, {0x830,0x83e}, {0x840,0x85b}, {0x85e,0x85e}, {0x860,0x86a},
	{0x8a0,0x8b4}, {0x8b6,0x8c7}, {0x8d3,0x8e1}, {0x8e3,0x983}, {0x985,0x98c}, {0x98f,0x990},
	{0x993,0x9a8}, {0x9aa,0x9b0}, {0x9b2,0x9b2}, {0x9b6,0x9b9}, {0x9bc,0x9c4}, {0x9c7,0x9c8},
	{0x9cb,0x9ce}, {0x9d7,0x9d7}, {0x9dc,0x9dd}, {0x9df,0x9e3}, {0x9e6,0x9fe}, {0xa01,0xa03},
	{0xa05,0xa0a}, {0xa0f,0xa10}, {0xa13,0xa28}, {0xa2a,0xa30}, {0xa32,0xa33}, {0xa35,0xa36},
	{0xa38,0xa39}, {0xa3c,0xa3c}, {0xa3e,0xa42}, {0xa47,0xa48}, {0xa4b,0xa4d}, {0xa51,0xa51},
	{0xa59,0xa5c}, {0xa5e,0xa5e}, {0xa66,0xa76}, {0xa81,0xa83}, {0xa85,0xa8d}, {0xa8f,0xa91},
	{0xa93,0xaa8}, {0xaaa,0xab0}, {0xab2,0xab3}, {0xab5,0xab9}, {0xabc,0xac5}, {0xac7,0xac9},
	{0xacb,0xacd}, {0xad0,0xad0}, {0xae0,0xae3}, {0xae6,0xaf1}, {0xaf9,0xaff}, {0xb01,0xb03},
	{0xb05,0xb0c}, {0xb0f,0xb10}, {0xb13,0xb28}, {0xb2a,0xb30}, {0xb32,0xb33}, {0xb35,0xb39},
	{0xb3c,0xb44}, {0xb47,0xb48}, {0xb4b,0xb4d}, {0xb55,0xb57}, {0xb5c,0xb5d}, {0xb5f,0xb63},
	{0xb66,0xb77}, {0xb82,0xb83}, {0xb85,0xb8a}, {0xb8e,0xb90}, {0xb92,0xb95}, {0xb99,0xb9a},
	{0xb9c,0xb9c}, {0xb9e,0xb9f}, {0xba3,0xba4}, {0xba8,0xbaa}, {0xbae,0xbb9}, {0xbbe,0xbc2},
	{0xbc6,0xbc8}, {0xbca,0xbcd}, {0xbd0,0xbd0}, {0xbd7,0xbd7}, {0xbe6,0xbfa}, {0xc00,0xc0c},
	{0xc0e,0xc10}, {0xc12,0xc28}, {0xc2a,0xc39}, {0xc3d,0xc44}, {0xc46,0xc48}, {0xc4a,0xc4d},
	{0xc55,0xc56}, {0xc58,0xc5a}, {0xc60,0xc63}, {0xc66,0xc6f}, {0xc77,0xc8c}, {0xc8e,0xc90},
	{0xc92,0xca8}, {0xcaa,0xcb3}, {0xcb5,0xcb9}, {0xcbc,0xcc4}, {0xcc6,0xcc8}, {0xcca,0xccd},
	{0xcd5,0xcd6}, {0xcde,0xcde}, {0xce0,0xce3}, {0xce6,0xcef}, {0xcf1,0xcf2}, {0xd00,0xd0c},
	{0xd0e,0xd10}, {0xd12,0xd44}, {0xd46,0xd48}, {0xd4a,0xd4f}, {0xd54,0xd63}, {0xd66,0xd7f},
	{0xd81,0xd83}, {0xd85,0xd96}, {0xd9a,0xdb1}, {0xdb3,0xdbb}, {0xdbd,0xdbd}, {0xdc0,0xdc6},
	{0xdca,0xdca}, {0xdcf,0xdd4}, {0xdd6,0xdd6}, {0xdd8,0xddf}, {0xde6,0xdef}, {0xdf2,0xdf4},
	{0xe01,0xe3a}, {0xe3f,0xe5b}, {0xe81,0xe82}, {0xe84,0xe84}, {0xe86,0xe8a}, {0xe8c,0xea3},
	{0xea5,0xea5}, {0xea7,0xebd}, {0xec0,0xec4}, {0xec6,0xec6}, {0xec8,0xecd}, {0xed0,0xed9},
	{0xedc,0xedf}, {0xf00,0xf47}, {0xf49,0xf6c}, {0xf71,0xf97}, {0xf99,0xfbc}, {0xfbe,0xfcc},
	{0xfce,0xfda}, {0x1000,0x10c5}, {0x10c7,0x10c7}, {0x10cd,0x10cd}, {0x10d0,0x1248},
	{0x124a,0x124d}, {0x1250,0x1256}, {0x1258,0x1258}, {0x125a,0x125d}, {0x1260,0x1288},
	{0x128a,0x128d}, {0x1290,0x12b0}, {0x12b2,0x12b5}, {0x12b8,0x12be}, {0x12c0,0x12c0},
	{0x12c2,0x12c5}, {0x12c8,0x12d6}, {0x12d8,0x1310}, {0x1312,0x1315}, {0x1318,0x135a},
	{0x135d,0x137c}, {0x1380,0x1399}, {0x13a0,0x13f5}, {0x13f8,0x13fd}, {0x1400,0x167f},
	{0x1681,0x169c}, {0x16a0,0x16f8}, {0x1700,0x170c}, {0x170e,0x1714}, {0x1720,0x1736},
	{0x1740,0x1753}, {0x1760,0x176c}, {0x176e,0x1770}, {0x1772,0x1773}, {0x1780,0x17dd},
	{0x17e0,0x17e9}, {0x17f0,0x17f9}, {0x1800,0x180d}, {0x1810,0x1819}, {0x1820,0x1878},
	{0x1880,0x18aa}, {0x18b0,0x18f5}, {0x1900,0x191e}, {0x1920,0x192b}, {0x1930,0x193b},
	{0x1940,0x1940}, {0x1944,0x196d}, {0x1970,0x1974}, {0x1980,0x19ab}, {0x19b0,0x19c9},
	{0x19d0,0x19da}, {0x19de,0x1a1b}, {0x1a1e,0x1a5e}, {0x1a60,0x1a7c}, {0x1a7f,0x1a89},
	{0x1a90,0x1a99}, {0x1aa0,0x1aad}, {0x1ab0,0x1ac0}, {0x1b00,0x1b4b}, {0x1b50,0x1b7c},
	{0x1b80,0x1bf3}, {0x1bfc,0x1c37}, {0x1c3b,0x1c49}, {0x1c4d,0x1c88}, {0x1c90,0x1cba},
	{0x1cbd,0x1cc7}, {0x1cd0,0x1cfa}, {0x1d00,0x1df9}, {0x1dfb,0x1f15}, {0x1f18,0x1f1d},
	{0x1f20,0x1f45}, {0x1f48,0x1f4d}, {0x1f50,0x1f57}, {0x1f59,0x1f59}, {0x1f5b,0x1f5b},
	{0x1f5d,0x1f5d}, {0x1f5f,0x1f7d}, {0x1f80,0x1fb4}, {0x1fb6,0x1fc4}, {0x1fc6,0x1fd3},
	{0x1fd6,0x1fdb}, {0x1fdd,0x1fef}, {0x1ff2,0x1ff4}, {0x1ff6,0x1ffe}, {0x2010,0x2027},
	{0x2030,0x205e}, {0x2070,0x2071}, {0x2074,0x208e}, {0x2090,0x209c}, {0x20a0,0x20bf},
	{0x20d0,0x20f0}, {0x2100,0x218b}, {0x2190,0x2426}, {0x2440,0x244a}, {0x2460,0x2b73},
	{0x2b76,0x2b95}, {0x2b97,0x2c2e}, {0x2c30,0x2c5e}, {0x2c60,0x2cf3}, {0x2cf9,0x2d25},
	{0x2d27,0x2d27}, {0x2d2d,0x2d2d}, {0x2d30,0x2d67}, {0x2d6f,0x2d70}, {0x2d7f,0x2d96},
	{0x2da0,0x2da6}, {0x2da8,0x2dae}, {0x2db0,0x2db6}, {0x2db8,0x2dbe}, {0x2dc0,0x2dc6},
	{0x2dc8,0x2dce}, {0x2dd0,0x2dd6}, {0x2dd8,0x2dde}, {0x2de0,0x2e52}, {0x2e80,0x2e99},
	{0x2e9b,0x2ef3}, {0x2f00,0x2fd5}, {0x2ff0,0x2ffb}, {0x3001,0x303f}, {0x3041,0x3096},
	{0x3099,0x30ff}, {0x3105,0x312f}, {0x3131,0x318e}, {0x3190,0x31e3}, {0x31f0,0x321e},
	{0x3220,0x9ffc}, {0xa000,0xa48c}, {0xa490,0xa4c6}, {0xa4d0,0xa62b}, {0xa640,0xa6f7},
	{0xa700,0xa7bf}, {0xa7c2,0xa7ca}, {0xa7f5,0xa82c}, {0xa830,0xa839}, {0xa840,0xa877},
	{0xa880,0xa8c5}, {0xa8ce,0xa8d9}, {0xa8e0,0xa953}, {0xa95f,0xa97c}, {0xa980,0xa9cd},
	{0xa9cf,0xa9d9}, {0xa9de,0xa9fe}, {0xaa00,0xaa36}, {0xaa40,0xaa4d}, {0xaa50,0xaa59},
	{0xaa5c,0xaac2}, {0xaadb,0xaaf6}, {0xab01,0xab06}, {0xab09,0xab0e}, {0xab11,0xab16},
	{0xab20,0xab26}, {0xab28,0xab2e}, {0xab30,0xab6b}, {0xab70,0xabed}, {0xabf0,0xabf9},
	{0xac00,0xd7a3}, {0xd7b0,0xd7c6}, {0xd7cb,0xd7fb}, {0xf900,0xfa6d}, {0xfa70,0xfad9},
	{0xfb00,0xfb06}, {0xfb13,0xfb17}, {0xfb1d,0xfb36}, {0xfb38,0xfb3c}, {0xfb3e,0xfb3e},
	{0xfb40,0xfb41}, {0xfb43,0xfb44}, {0xfb46,0xfbc1}, {0xfbd3,0xfd3f}, {0xfd50,0xfd8f},
	{0xfd92,0xfdc7}, {0xfdf0,0xfdfd}, {0xfe00,0xfe19}, {0xfe20,0xfe52}, {0xfe54,0xfe66},
	{0xfe68,0xfe6b}, {0xfe70,0xfe74}, {0xfe76,0xfefc}, {0xff01,0xffbe}, {0xffc2,0xffc7},
	{0xffca,0xffcf}, {0xffd2,0xffd7}, {0xffda,0xffdc}, {0xffe0,0xffe6}, {0xffe8,0xffee},
	{0xfffc,0xfffd}, {0x10000,0x1000b}, {0x1000d,0x10026}, {0x10028,0x1003a},
	{0x1003c,0x1003d}, {0x1003f,0x1004d}, {0x10050,0x1005d}, {0x10080,0x100fa},
	{0x10100,0x10102}, {0x10107,0x10133}, {0x10137,0x1018e}, {0x10190,0x1019c},
	{0x101a0,0x101a0}, {0x101d0,0x101fd}, {0x10280,0x1029c}, {0x102a0,0x102d0},
	{0x102e0,0x102fb}, {0x10300,0x10323}, {0x1032d,0x1034a}, {0x10350,0x1037a},
	{0x10380,0x1039d}, {0x1039f,0x103c3}, {0x103c8,0x103d5}, {0x10400,0x1049d},
	{0x104a0,0x104a9}, {0x104b0,0x104d3}, {0x104d8,0x104fb}, {0x10500,0x10527},
	{0x10530,0x10563}, {0x1056f,0x1056f}, {0x10600,0x10736}, {0x10740,0x10755},
	{0x10760,0x10767}, {0x10800,0x10805}, {0x10808,0x10808}, {0x1080a,0x10835},
	{0x10837,0x10838}, {0x1083c,0x1083c}, {0x1083f,0x10855}, {0x10857,0x1089e},
	{0x108a7,0x108af}, {0x108e0,0x108f2}, {0x108f4,0x108f5}, {0x108fb,0x1091b},
	{0x1091f,0x10939}, {0x1093f,0x1093f}, {0x10980,0x109b7}, {0x109bc,0x109cf},
	{0x109d2,0x10a03}, {0x10a05,0x10a06}, {0x10a0c,0x10a13}, {0x10a15,0x10a17},
	{0x10a19,0x10a35}, {0x10a38,0x10a3a}, {0x10a3f,0x10a48}, {0x10a50,0x10a58},
	{0x10a60,0x10a9f}, {0x10ac0,0x10ae6}, {0x10aeb,0x10af6}, {0x10b00,0x10b35},
	{0x10b39,0x10b55}, {0x10b58,0x10b72}, {0x10b78,0x10b91}, {0x10b99,0x10b9c},
	{0x10ba9,0x10baf}, {0x10c00,0x10c48}, {0x10c80,0x10cb2}, {0x10cc0,0x10cf2},
	{0x10cfa,0x10d27}, {0x10d30,0x10d39}, {0x10e60,0x10e7e}, {0x10e80,0x10ea9},
	{0x10eab,0x10ead}, {0x10eb0,0x10eb1}, {0x10f00,0x10f27}, {0x10f30,0x10f59},
	{0x10fb0,0x10fcb}, {0x10fe0,0x10ff6}, {0x11000,0x1104d}, {0x11052,0x1106f},
	{0x1107f,0x110bc}, {0x110be,0x110c1}, {0x110d0,0x110e8}, {0x110f0,0x110f9},
	{0x11100,0x11134}, {0x11136,0x11147}, {0x11150,0x11176}, {0x11180,0x111df},
	{0x111e1,0x111f4}, {0x11200,0x11211}, {0x11213,0x1123e}, {0x11280,0x11286},
	{0x11288,0x11288}, {0x1128a,0x1128d}, {0x1128f,0x1129d}, {0x1129f,0x112a9},
	{0x112b0,0x112ea}, {0x112f0,0x112f9}, {0x11300,0x11303}, {0x11305,0x1130c},
	{0x1130f,0x11310}, {0x11313,0x11328}, {0x1132a,0x11330}, {0x11332,0x11333},
	{0x11335,0x11339}, {0x1133b,0x11344}, {0x11347,0x11348}, {0x1134b,0x1134d},
	{0x11350,0x11350}, {0x11357,0x11357}, {0x1135d,0x11363}, {0x11366,0x1136c},
	{0x11370,0x11374}, {0x11400,0x1145b}, {0x1145d,0x11461}, {0x11480,0x114c7},
	{0x114d0,0x114d9}, {0x11580,0x115b5}, {0x115b8,0x115dd}, {0x11600,0x11644},
	{0x11650,0x11659}, {0x11660,0x1166c}, {0x11680,0x116b8}, {0x116c0,0x116c9},
	{0x11700,0x1171a}, {0x1171d,0x1172b}, {0x11730,0x1173f}, {0x11800,0x1183b},
	{0x118a0,0x118f2}, {0x118ff,0x11906}, {0x11909,0x11909}, {0x1190c,0x11913},
	{0x11915,0x11916}, {0x11918,0x11935}, {0x11937,0x11938}, {0x1193b,0x11946},
	{0x11950,0x11959}, {0x119a0,0x119a7}, {0x119aa,0x119d7}, {0x119da,0x119e4},
	{0x11a00,0x11a47}, {0x11a50,0x11aa2}, {0x11ac0,0x11af8}, {0x11c00,0x11c08},
	{0x11c0a,0x11c36}, {0x11c38,0x11c45}, {0x11c50,0x11c6c}, {0x11c70,0x11c8f},
	{0x11c92,0x11ca7}, {0x11ca9,0x11cb6}, {0x11d00,0x11d06}, {0x11d08,0x11d09},
	{0x11d0b,0x11d36}, {0x11d3a,0x11d3a}, {0x11d3c,0x11d3d}, {0x11d3f,0x11d47},
	{0x11d50,0x11d59}, {0x11d60,0x11d65}, {0x11d67,0x11d68}, {0x11d6a,0x11d8e},
	{0x11d90,0x11d91}, {0x11d93,0x11d98}, {0x11da0,0x11da9}, {0x11ee0,0x11ef8},
	{0x11fb0,0x11fb0}, {0x11fc0,0x11ff1}, {0x11fff,0x12399}, {0x12400,0x1246e},
	{0x12470,0x12474}, {0x12480,0x12543}, {0x13000,0x1342e}, {0x14400,0x14646},
	{0x16800,0x16a38}, {0x16a40,0x16a5e}, {0x16a60,0x16a69}, {0x16a6e,0x16a6f},
	{0x16ad0,0x16aed}, {0x16af0,0x16af5}, {0x16b00,0x16b45}, {0x16b50,0x16b59},
	{0x16b5b,0x16b61}, {0x16b63,0x16b77}, {0x16b7d,0x16b8f}, {0x16e40,0x16e9a},
	{0x16f00,0x16f4a}, {0x16f4f,0x16f87}, {0x16f8f,0x16f9f}, {0x16fe0,0x16fe4},
	{0x16ff0,0x16ff1}, {0x17000,0x187f7}, {0x18800,0x18cd5}, {0x18d00,0x18d08},
	{0x1b000,0x1b11e}, {0x1b150,0x1b152}, {0x1b164,0x1b167}, {0x1b170,0x1b2fb},
	{0x1bc00,0x1bc6a}, {0x1bc70,0x1bc7c}, {0x1bc80,0x1bc88}, {0x1bc90,0x1bc99},
	{0x1bc9c,0x1bc9f}, {0x1d000,0x1d0f5}, {0x1d100,0x1d126}, {0x1d129,0x1d172},
	{0x1d17b,0x1d1e8}, {0x1d200,0x1d245}, {0x1d2e0,0x1d2f3}, {0x1d300,0x1d356},
	{0x1d360,0x1d378}, {0x1d400,0x1d454}, {0x1d456,0x1d49c}, {0x1d49e,0x1d49f},
	{0x1d4a2,0x1d4a2}, {0x1d4a5,0x1d4a6}, {0x1d4a9,0x1d4ac}, {0x1d4ae,0x1d4b9},
	{0x1d4bb,0x1d4bb}, {0x1d4bd,0x1d4c3}, {0x1d4c5,0x1d505}, {0x1d507,0x1d50a},
	{0x1d50d,0x1d514}, {0x1d516,0x1d51c}, {0x1d51e,0x1d539}, {0x1d53b,0x1d53e},
	{0x1d540,0x1d544}, {0x1d546,0x1d546}, {0x1d54a,0x1d550}, {0x1d552,0x1d6a5},
	{0x1d6a8,0x1d7cb}, {0x1d7ce,0x1da8b}, {0x1da9b,0x1da9f}, {0x1daa1,0x1daaf},
	{0x1e000,0x1e006}, {0x1e008,0x1e018}, {0x1e01b,0x1e021}, {0x1e023,0x1e024},
	{0x1e026,0x1e02a}, {0x1e100,0x1e12c}, {0x1e130,0x1e13d}, {0x1e140,0x1e149},
	{0x1e14e,0x1e14f}, {0x1e2c0,0x1e2f9}, {0x1e2ff,0x1e2ff}, {0x1e800,0x1e8c4},
	{0x1e8c7,0x1e8d6}, {0x1e900,0x1e94b}, {0x1e950,0x1e959}, {0x1e95e,0x1e95f},
	{0x1ec71,0x1ecb4}, {0x1ed01,0x1ed3d}, {0x1ee00,0x1ee03}, {0x1ee05,0x1ee1f},
	{0x1ee21,0x1ee22}, {0x1ee24,0x1ee24}, {0x1ee27,0x1ee27}, {0x1ee29,0x1ee32},
	{0x1ee34,0x1ee37}, {0x1ee39,0x1ee39}, {0x1ee3b,0x1ee3b}, {0x1ee42,0x1ee42},
	{0x1ee47,0x1ee47}, {0x1ee49,0x1ee49}, {0x1ee4b,0x1ee4b}, {0x1ee4d,0x1ee4f},
	{0x1ee51,0x1ee52}, {0x1ee54,0x1ee54}, {0x1ee57,0x1ee57}, {0x1ee59,0x1ee59},
	{0x1ee5b,0x1ee5b}, {0x1ee5d,0x1ee5d}, {0x1ee5f,0x1ee5f}, {0x1ee61,0x1ee62},
	{0x1ee64,0x1ee64}, {0x1ee67,0x1ee6a}, {0x1ee6c,0x1ee72}, {0x1ee74,0x1ee77},
	{0x1ee79,0x1ee7c}, {0x1ee7e,0x1ee7e}, {0x1ee80,0x1ee89}, {0x1ee8b,0x1ee9b},
	{0x1eea1,0x1eea3}, {0x1eea5,0x1eea9}, {0x1eeab,0x1eebb}, {0x1eef0,0x1eef1},
	{0x1f000,0x1f02b}, {0x1f030,0x1f093}, {0x1f0a0,0x1f0ae}, {0x1f0b1,0x1f0bf},
	{0x1f0c1,0x1f0cf}, {0x1f0d1,0x1f0f5}, {0x1f100,0x1f1ad}, {0x1f1e6,0x1f202},
	{0x1f210,0x1f23b}, {0x1f240,0x1f248}, {0x1f250,0x1f251}, {0x1f260,0x1f265},
	{0x1f300,0x1f6d7}, {0x1f6e0,0x1f6ec}, {0x1f6f0,0x1f6fc}, {0x1f700,0x1f773},
	{0x1f780,0x1f7d8}, {0x1f7e0,0x1f7eb}, {0x1f800,0x1f80b}, {0x1f810,0x1f847},
	{0x1f850,0x1f859}, {0x1f860,0x1f887}, {0x1f890,0x1f8ad}, {0x1f8b0,0x1f8b1},
	{0x1f900,0x1f978}, {0x1f97a,0x1f9cb}, {0x1f9cd,0x1fa53}, {0x1fa60,0x1fa6d},
	{0x1fa70,0x1fa74}, {0x1fa78,0x1fa7a}, {0x1fa80,0x1fa86}, {0x1fa90,0x1faa8},
	{0x1fab0,0x1fab6}, {0x1fac0,0x1fac2}, {0x1fad0,0x1fad6}, {0x1fb00,0x1fb92},
	{0x1fb94,0x1fbca}, {0x1fbf0,0x1fbf9}, {0x20000,0x2a6dd}, {0x2a700,0x2b734},
	{0x2b740,0x2b81d}, {0x2b820,0x2cea1}, {0x2ceb0,0x2ebe0}, {0x2f800,0x2fa1d},
	{0x30000,0x3134a}, {0xe0100,0xe01ef}
};

/* Go's strconv.IsPrint: what %q and %U's '#' leave unescaped. */
static bool is_print(uint32_t r)
{
	return tfmt_is_print(r);
}

bool tfmt_is_print(uint32_t r)
{
	if (r < 0x80)
		return r >= 0x20 && r < 0x7F;
	size_t lo = 0, hi = sizeof(print_ranges) / sizeof(*print_ranges);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r < print_ranges[mid].lo)
			hi = mid;
		else if (r > print_ranges[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* One rune of strconv's quoting, with quote the delimiter. */
static void quote_rune_into(struct buf *b, uint32_t r, char quote, bool ascii)
{
	static const char hex[] = "0123456789abcdef";
	if (r == (uint32_t)quote || r == '\\') {
		buf_addch(b, '\\');
		buf_addch(b, (char)r);
		return;
	}
	if (ascii ? (r < 0x80 && is_print(r)) : is_print(r)) {
		char enc[4];
		buf_add(b, enc, utf8_encode(r, enc));
		return;
	}
	switch (r) {
	case '\a': buf_adds(b, "\\a"); return;
	case '\b': buf_adds(b, "\\b"); return;
	case '\f': buf_adds(b, "\\f"); return;
	case '\n': buf_adds(b, "\\n"); return;
	case '\r': buf_adds(b, "\\r"); return;
	case '\t': buf_adds(b, "\\t"); return;
	case '\v': buf_adds(b, "\\v"); return;
	}
	if (r < ' ' || r == 0x7F) {
		buf_adds(b, "\\x");
		buf_addch(b, hex[r >> 4]);
		buf_addch(b, hex[r & 0xF]);
	} else if (r < 0x10000) {
		buf_adds(b, "\\u");
		for (int s = 12; s >= 0; s -= 4)
			buf_addch(b, hex[(r >> s) & 0xF]);
	} else {
		buf_adds(b, "\\U");
		for (int s = 28; s >= 0; s -= 4)
			buf_addch(b, hex[(r >> s) & 0xF]);
	}
}

/* strconv.Quote / QuoteToASCII. */
static void quote_string(struct buf *b, const char *s, size_t n, bool ascii)
{
	static const char hex[] = "0123456789abcdef";
	buf_addch(b, '"');
	for (size_t i = 0; i < n;) {
		size_t k = utf8_valid_prefix(s + i, n - i);
		if (!k) {
			unsigned char c = (unsigned char)s[i++];
			buf_adds(b, "\\x");
			buf_addch(b, hex[c >> 4]);
			buf_addch(b, hex[c & 0xF]);
			continue;
		}
		quote_rune_into(b, utf8_decode(s + i, k), '"', ascii);
		i += k;
	}
	buf_addch(b, '"');
}

static bool can_backquote(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = utf8_valid_prefix(s + i, n - i);
		if (!k)
			return false;
		if (k > 1) {
			if (utf8_decode(s + i, k) == 0xFEFF)
				return false;
		} else {
			unsigned char c = (unsigned char)s[i];
			if ((c < ' ' && c != '\t') || c == '`' || c == 0x7F)
				return false;
		}
		i += k;
	}
	return true;
}

/* Go's truncate: at most prec runes. */
static size_t truncated(const struct pp *p, const char *s, size_t n)
{
	if (!p->prec_present)
		return n;
	long left = p->prec;
	for (size_t i = 0; i < n;) {
		if (--left < 0)
			return i;
		size_t k = utf8_valid_prefix(s + i, n - i);
		i += k ? k : 1;
	}
	return n;
}

static void fmt_s(struct pp *p, const char *s, size_t n)
{
	pad(p, s, truncated(p, s, n));
}

static void fmt_q(struct pp *p, const char *s, size_t n)
{
	n = truncated(p, s, n);
	struct buf b = BUF_INIT;
	if (p->sharp && can_backquote(s, n)) {
		buf_addch(&b, '`');
		buf_add(&b, s, n);
		buf_addch(&b, '`');
	} else {
		quote_string(&b, s, n, p->plus);
	}
	pad(p, b.ptr, b.len);
	buf_release(&b);
}

/* %x / %X of a string or byte slice (Go's fmtSbx). */
static void fmt_sbx(struct pp *p, const char *s, size_t n, const char *digits)
{
	size_t length = n;
	if (p->prec_present && (size_t)p->prec < length)
		length = (size_t)p->prec;
	size_t width = 2 * length;
	if (width > 0) {
		if (p->space) {
			if (p->sharp)
				width *= 2;
			width += length - 1;
		} else if (p->sharp) {
			width += 2;
		}
	} else {
		if (p->wid_present)
			write_padding(p, p->wid);
		return;
	}
	if (p->wid_present && (size_t)p->wid > width && !p->minus)
		write_padding(p, (long)((size_t)p->wid - width));
	if (p->sharp) {
		buf_addch(p->out, '0');
		buf_addch(p->out, digits[16]);
	}
	for (size_t i = 0; i < length; i++) {
		if (p->space && i > 0) {
			buf_addch(p->out, ' ');
			if (p->sharp) {
				buf_addch(p->out, '0');
				buf_addch(p->out, digits[16]);
			}
		}
		unsigned char c = (unsigned char)s[i];
		buf_addch(p->out, digits[c >> 4]);
		buf_addch(p->out, digits[c & 0xF]);
	}
	if (p->wid_present && (size_t)p->wid > width && p->minus)
		write_padding(p, (long)((size_t)p->wid - width));
}

static void fmt_c(struct pp *p, uint64_t c)
{
	uint32_t r = c > 0x10FFFF ? 0xFFFD : (uint32_t)c;
	char enc[4];
	size_t n = utf8_encode(r, enc);
	if (!n)
		n = utf8_encode(0xFFFD, enc);
	pad(p, enc, n);
}

static void fmt_qc(struct pp *p, uint64_t c)
{
	uint32_t r = c > 0x10FFFF ? 0xFFFD : (uint32_t)c;
	if (r >= 0xD800 && r <= 0xDFFF)
		r = 0xFFFD;
	struct buf b = BUF_INIT;
	buf_addch(&b, '\'');
	quote_rune_into(&b, r, '\'', p->plus);
	buf_addch(&b, '\'');
	pad(p, b.ptr, b.len);
	buf_release(&b);
}

static void fmt_unicode(struct pp *p, uint64_t u)
{
	struct buf b = BUF_INIT;
	int prec = 4;
	if (p->prec_present && p->prec > 4)
		prec = p->prec;
	char hexd[20];
	int nd = 0;
	uint64_t v = u;
	do {
		hexd[nd++] = udigits[v & 0xF];
		v >>= 4;
	} while (v);
	buf_adds(&b, "U+");
	if (prec > nd)
		buf_addnch(&b, '0', (size_t)(prec - nd));
	while (nd)
		buf_addch(&b, hexd[--nd]);
	if (p->sharp && u <= 0x10FFFF && is_print((uint32_t)u)) {
		char enc[4];
		size_t n = utf8_encode((uint32_t)u, enc);
		if (n) {
			buf_adds(&b, " '");
			buf_add(&b, enc, n);
			buf_addch(&b, '\'');
		}
	}
	pad_nozero(p, b.ptr, b.len);
	buf_release(&b);
}

/* ---- Floats ----------------------------------------------------------------------- */

/* Decimal digits of |f|: f = 0.d[0]d[1]... * 10^dp, nd digits without trailing zeros
 * (nd = 0 for zero). ndig < 0: the shortest digits that read back as the same float64
 * (or float32 when f32); else correctly rounded to ndig significant digits. d must hold
 * max(ndig, 17) + 1 bytes. */
static void float_digits(double f, bool f32, int ndig, char *d, int *nd, int *dp)
{
	f = fabs(f);
	*nd = 0;
	*dp = 0;
	if (f == 0)
		return;
	size_t tsize = (size_t)(ndig > 17 ? ndig : 17) + 32;
	char small[64];
	char *tmp = tsize <= sizeof(small) ? small : xmalloc(tsize);
	if (ndig < 0) {
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(tmp, tsize, "%.*e", prec - 1, f);
			if (f32 ? strtof(tmp, NULL) == (float)f : strtod(tmp, NULL) == f)
				break;
		}
	} else {
		snprintf(tmp, tsize, "%.*e", ndig - 1, f);
	}
	int n = 0;
	const char *q = tmp;
	for (; *q && *q != 'e'; q++)
		if (*q >= '0' && *q <= '9')
			d[n++] = *q;
	while (n > 0 && d[n - 1] == '0')
		n--;
	*nd = n;
	*dp = (int)strtol(q + 1, NULL, 10) + 1;
	if (tmp != small)
		free(tmp);
}

/* strconv's %e layout of digits: d.ddd e±XX with prec fraction digits. */
static void lay_e(struct buf *b, const char *d, int nd, int dp, int prec, char e)
{
	buf_addch(b, nd ? d[0] : '0');
	if (prec > 0) {
		buf_addch(b, '.');
		int i = 1;
		int m = nd < prec + 1 ? nd : prec + 1;
		if (i < m) {
			buf_add(b, d + i, (size_t)(m - i));
			i = m;
		}
		for (; i <= prec; i++)
			buf_addch(b, '0');
	}
	buf_addch(b, e);
	int exp = nd == 0 ? 0 : dp - 1;
	buf_addch(b, exp < 0 ? '-' : '+');
	if (exp < 0)
		exp = -exp;
	if (exp < 10)
		buf_addch(b, '0');
	buf_addf(b, "%d", exp);
}

/* strconv's %f layout of digits with prec fraction digits. */
static void lay_f(struct buf *b, const char *d, int nd, int dp, int prec)
{
	if (dp > 0) {
		int m = nd < dp ? nd : dp;
		buf_add(b, d, (size_t)m);
		buf_addnch(b, '0', (size_t)(dp - m));
	} else {
		buf_addch(b, '0');
	}
	if (prec > 0) {
		buf_addch(b, '.');
		for (int i = 1; i <= prec; i++) {
			int j = dp + i - 1;
			buf_addch(b, j >= 0 && j < nd ? d[j] : '0');
		}
	}
}

/* strconv's split of a finite float: |f| = mant * 2^(exp - mantbits), with the implicit
 * leading bit set for normal numbers. Returns the sign. */
static bool float_bits(double f, bool f32, uint64_t *mant, int *exp, int *mantbits)
{
	if (f32) {
		float g = (float)f;
		uint32_t bits;
		memcpy(&bits, &g, sizeof(bits));
		*mantbits = 23;
		*exp = (int)((bits >> 23) & 0xFF);
		*mant = bits & ((1u << 23) - 1);
		if (*exp == 0)
			(*exp)++;
		else
			*mant |= 1u << 23;
		*exp += -127;
		return bits >> 31;
	}
	uint64_t bits;
	memcpy(&bits, &f, sizeof(bits));
	*mantbits = 52;
	*exp = (int)((bits >> 52) & 0x7FF);
	*mant = bits & ((1ull << 52) - 1);
	if (*exp == 0)
		(*exp)++;
	else
		*mant |= 1ull << 52;
	*exp += -1023;
	return bits >> 63;
}

/* %x / %X of a float: 0x1.8p+01, the leading digit always 1 (subnormals normalised),
 * rounded half to even to prec hex digits when prec >= 0. */
static void hex_float(struct buf *b, bool neg, uint64_t mant, int exp, int mantbits, int prec,
		      int verb)
{
	const char *hex = verb == 'X' ? udigits : ldigits;
	if (mant == 0)
		exp = 0;
	mant <<= 60 - mantbits;
	while (mant != 0 && !(mant & (1ull << 60))) {
		mant <<= 1;
		exp--;
	}
	if (prec >= 0 && prec < 15) {
		unsigned shift = (unsigned)prec * 4;
		uint64_t extra = (mant << shift) & ((1ull << 60) - 1);
		mant >>= 60 - shift;
		if ((extra | (mant & 1)) > (1ull << 59))
			mant++;
		mant <<= 60 - shift;
		if (mant & (1ull << 61)) {
			mant >>= 1;
			exp++;
		}
	}
	if (neg)
		buf_addch(b, '-');
	buf_addch(b, '0');
	buf_addch(b, (char)verb);
	buf_addch(b, (char)('0' + ((mant >> 60) & 1)));
	mant <<= 4;
	if ((prec < 0 && mant != 0) || prec > 0) {
		buf_addch(b, '.');
		for (int i = 0; prec < 0 ? mant != 0 : i < prec; i++) {
			buf_addch(b, hex[(mant >> 60) & 15]);
			mant <<= 4;
		}
	}
	buf_addch(b, verb == 'X' ? 'P' : 'p');
	buf_addch(b, exp < 0 ? '-' : '+');
	buf_addf(b, "%02d", exp < 0 ? -exp : exp);
}

/* strconv.AppendFloat(f, verb, prec, size) for e, E, f, g, G, b, x, X, with its sign. */
static void strconv_float(struct buf *b, double f, bool f32, int verb, int prec)
{
	if (isnan(f)) {
		buf_adds(b, "NaN");
		return;
	}
	if (isinf(f)) {
		buf_adds(b, f > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (verb == 'b' || verb == 'x' || verb == 'X') {
		uint64_t mant;
		int exp, mantbits;
		bool neg = float_bits(f, f32, &mant, &exp, &mantbits);
		if (verb == 'b') {
			exp -= mantbits;
			buf_addf(b, "%s%llup%c%d", neg ? "-" : "", (unsigned long long)mant,
				 exp >= 0 ? '+' : '-', exp < 0 ? -exp : exp);
		} else {
			hex_float(b, neg, mant, exp, mantbits, prec, verb);
		}
		return;
	}
	if (signbit(f))
		buf_addch(b, '-');
	if (verb == 'f') {
		/* prec is never negative here: fmt's %f always has one */
		int n = snprintf(NULL, 0, "%.*f", prec, fabs(f));
		char *t = xmalloc((size_t)n + 1);
		snprintf(t, (size_t)n + 1, "%.*f", prec, fabs(f));
		buf_add(b, t, (size_t)n);
		free(t);
		return;
	}
	bool shortest = prec < 0;
	int ndig = shortest ? -1 : verb == 'e' || verb == 'E' ? prec + 1 : prec == 0 ? 1 : prec;
	char dsmall[40];
	size_t dsize = (size_t)(ndig > 17 ? ndig : 17) + 2;
	char *d = dsize <= sizeof(dsmall) ? dsmall : xmalloc(dsize);
	int nd, dp;
	float_digits(f, f32, ndig, d, &nd, &dp);
	if (verb == 'e' || verb == 'E') {
		if (shortest)
			prec = nd > 1 ? nd - 1 : 0;
		lay_e(b, d, nd, dp, prec, (char)verb);
	} else {
		if (shortest)
			prec = nd;
		else if (prec == 0)
			prec = 1;
		int eprec = prec;
		if (eprec > nd && nd >= dp)
			eprec = nd;
		if (shortest)
			eprec = 6;
		int exp = dp - 1;
		if (exp < -4 || exp >= eprec) {
			if (prec > nd)
				prec = nd;
			lay_e(b, d, nd, dp, prec - 1, verb == 'g' ? 'e' : 'E');
		} else {
			if (prec > dp)
				prec = nd;
			lay_f(b, d, nd, dp, prec - dp > 0 ? prec - dp : 0);
		}
	}
	if (d != dsmall)
		free(d);
}

/* Go's fmt.fmtFloat: sign, space, Inf/NaN padding, the '#' flag's point and zeros. */
static void fmt_float(struct pp *p, double v, bool f32, int verb, int prec)
{
	if (p->prec_present)
		prec = p->prec;
	struct buf num = BUF_INIT;
	buf_addch(&num, '+');
	strconv_float(&num, v, f32, verb, prec);
	size_t off = 0; /* num + off is Go's num slice */
	if (num.ptr[1] == '-' || num.ptr[1] == '+')
		off = 1;
	if (p->space && num.ptr[off] == '+' && !p->plus)
		num.ptr[off] = ' ';
	if (num.ptr[off + 1] == 'I' || num.ptr[off + 1] == 'N') {
		if (num.ptr[off + 1] == 'N' && !p->space && !p->plus)
			off++;
		pad_nozero(p, num.ptr + off, num.len - off);
		goto done;
	}
	if (p->sharp && verb != 'b') {
		int digits = 0;
		if (verb == 'v' || verb == 'g' || verb == 'G' || verb == 'x')
			digits = prec == -1 ? 6 : prec;
		struct buf tail = BUF_INIT;
		bool has_point = false, nonzero = false;
		size_t len = num.len;
		for (size_t i = off + 1; i < len; i++) {
			char c = num.ptr[i];
			if (c == '.') {
				has_point = true;
			} else if (c == 'p' || c == 'P' ||
				   ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X')) {
				buf_add(&tail, num.ptr + i, len - i);
				len = i;
				break;
			} else {
				if (c != '0')
					nonzero = true;
				if (nonzero)
					digits--;
			}
		}
		num.len = len;
		num.ptr[len] = 0;
		if (!has_point) {
			if (len - off == 2 && num.ptr[off + 1] == '0')
				digits--;
			buf_addch(&num, '.');
		}
		if (digits > 0)
			buf_addnch(&num, '0', (size_t)digits);
		buf_add(&num, tail.ptr, tail.len);
		buf_release(&tail);
	}
	if (p->plus || num.ptr[off] != '+') {
		size_t n = num.len - off;
		if (p->zero && p->wid_present && (size_t)p->wid > n) {
			buf_addch(p->out, num.ptr[off]);
			write_padding(p, (long)((size_t)p->wid - n));
			buf_add(p->out, num.ptr + off + 1, n - 1);
			goto done;
		}
		pad(p, num.ptr + off, n);
		goto done;
	}
	pad(p, num.ptr + off + 1, num.len - off - 1);
done:
	buf_release(&num);
}

/* ---- Values (Go's print.go) --------------------------------------------------------- */

static void print_arg(struct pp *p, const struct tv *v, int verb);
static void print_value(struct pp *p, const struct tv *v, int verb, int depth);

static bool is_nil(const struct tv *v)
{
	return !v || v->kind == TV_INVALID || v->kind == TV_NIL;
}

static bool is_f32(const struct tv *v)
{
	return v->type && strcmp(v->type, "float32") == 0;
}

static void add_rune(struct buf *b, int r)
{
	char enc[4];
	size_t n = utf8_encode((uint32_t)r, enc);
	buf_add(b, enc, n ? n : utf8_encode(0xFFFD, enc));
}

static void bad_verb(struct pp *p, const struct tv *v, int verb)
{
	p->erroring = true;
	buf_adds(p->out, "%!");
	add_rune(p->out, verb);
	buf_addch(p->out, '(');
	if (!is_nil(v)) {
		buf_adds(p->out, tv_type_name(v));
		buf_addch(p->out, '=');
		print_value(p, v, 'v', 0);
	} else {
		buf_adds(p->out, "<nil>");
	}
	buf_addch(p->out, ')');
	p->erroring = false;
}

static void fmt_bool(struct pp *p, const struct tv *v, int verb)
{
	if (verb == 't' || verb == 'v')
		fmt_boolean(p, v->u.b);
	else
		bad_verb(p, v, verb);
}

static void fmt_int(struct pp *p, const struct tv *v, uint64_t u, bool is_signed, int verb)
{
	switch (verb) {
	case 'v':
		if (p->sharp_v && !is_signed)
			fmt_0x64(p, u, true);
		else
			fmt_integer(p, u, 10, is_signed, verb, ldigits);
		break;
	case 'd': fmt_integer(p, u, 10, is_signed, verb, ldigits); break;
	case 'b': fmt_integer(p, u, 2, is_signed, verb, ldigits); break;
	case 'o':
	case 'O': fmt_integer(p, u, 8, is_signed, verb, ldigits); break;
	case 'x': fmt_integer(p, u, 16, is_signed, verb, ldigits); break;
	case 'X': fmt_integer(p, u, 16, is_signed, verb, udigits); break;
	case 'c': fmt_c(p, u); break;
	case 'q': fmt_qc(p, u); break;
	case 'U': fmt_unicode(p, u); break;
	default: bad_verb(p, v, verb); break;
	}
}

static void fmt_flt(struct pp *p, const struct tv *v, int verb)
{
	bool f32 = is_f32(v);
	double f = f32 ? (double)(float)v->u.f : v->u.f;
	switch (verb) {
	case 'v': fmt_float(p, f, f32, 'g', -1); break;
	case 'b':
	case 'g':
	case 'G':
	case 'x':
	case 'X': fmt_float(p, f, f32, verb, -1); break;
	case 'f':
	case 'e':
	case 'E': fmt_float(p, f, f32, verb, 6); break;
	case 'F': fmt_float(p, f, f32, 'f', 6); break;
	default: bad_verb(p, v, verb); break;
	}
}

static void fmt_string(struct pp *p, const struct tv *v, const char *s, size_t n, int verb)
{
	switch (verb) {
	case 'v':
		if (p->sharp_v)
			fmt_q(p, s, n);
		else
			fmt_s(p, s, n);
		break;
	case 's': fmt_s(p, s, n); break;
	case 'x': fmt_sbx(p, s, n, ldigits); break;
	case 'X': fmt_sbx(p, s, n, udigits); break;
	case 'q': fmt_q(p, s, n); break;
	default: bad_verb(p, v, verb); break;
	}
}

/* A []uint8 as a slice of numbers: [104 105], or []uint8{0x68, 0x69} for %#v. */
static void bytes_as_slice(struct pp *p, const struct tv *v, int verb, const char *type,
			   int depth)
{
	const unsigned char *s = (const unsigned char *)v->u.s.ptr;
	size_t n = v->u.s.len;
	struct tv elem = { .kind = TV_UINT, .type = "uint8" };
	if (p->sharp_v) {
		buf_adds(p->out, type);
		buf_addch(p->out, '{');
	} else {
		buf_addch(p->out, '[');
	}
	for (size_t i = 0; i < n && !over(p); i++) {
		if (i > 0)
			buf_adds(p->out, p->sharp_v ? ", " : " ");
		elem.u.u = s[i];
		if (verb == 'v' || verb == 'd') {
			if (p->sharp_v)
				fmt_0x64(p, s[i], true);
			else
				fmt_integer(p, s[i], 10, false, verb, ldigits);
		} else {
			print_value(p, &elem, verb, depth + 1);
		}
	}
	buf_addch(p->out, p->sharp_v ? '}' : ']');
}

static void fmt_bytes(struct pp *p, const struct tv *v, int verb, const char *type, int depth)
{
	switch (verb) {
	case 's': fmt_s(p, v->u.s.ptr, v->u.s.len); break;
	case 'x': fmt_sbx(p, v->u.s.ptr, v->u.s.len, ldigits); break;
	case 'X': fmt_sbx(p, v->u.s.ptr, v->u.s.len, udigits); break;
	case 'q': fmt_q(p, v->u.s.ptr, v->u.s.len); break;
	default: bytes_as_slice(p, v, verb, type, depth); break;
	}
}

static void fmt_pointer(struct pp *p, const struct tv *v, uint64_t u, int verb)
{
	switch (verb) {
	case 'v':
		if (p->sharp_v) {
			buf_addch(p->out, '(');
			buf_adds(p->out, tv_type_name(v));
			buf_adds(p->out, ")(");
			if (u == 0)
				buf_adds(p->out, "nil");
			else
				fmt_0x64(p, u, true);
			buf_addch(p->out, ')');
		} else if (u == 0) {
			pads(p, "<nil>");
		} else {
			fmt_0x64(p, u, !p->sharp);
		}
		break;
	case 'p': fmt_0x64(p, u, !p->sharp); break;
	case 'b':
	case 'o':
	case 'd':
	case 'x':
	case 'X': fmt_int(p, v, u, false, verb); break;
	default: bad_verb(p, v, verb); break;
	}
}

/* The text an object prints as: its format method, else its data's %v, else "{}". */
static void object_text(struct pp *p, const struct tv *v, struct buf *text)
{
	const struct tv_object_type *ops = v->u.obj.ops;
	if (ops->format) {
		ops->format(text, v);
		return;
	}
	struct tv *data = NULL;
	if (ops->to_data) {
		struct texec x;
		texec_init_standalone(&x, pp_arena(p), NULL);
		data = ops->to_data(&x, v);
		texec_release(&x);
	}
	if (!data) {
		buf_adds(text, "{}");
		return;
	}
	tfmt_value(text, data);
}

static void fmt_object(struct pp *p, const struct tv *v, int verb)
{
	struct buf text = BUF_INIT;
	object_text(p, v, &text);
	/* As a Stringer: v, s, x, X and q print its text; other verbs complain with it. */
	switch (verb) {
	case 'v':
		if (p->sharp_v)
			buf_add(p->out, text.ptr, text.len);
		else
			fmt_s(p, text.ptr, text.len);
		break;
	case 's':
	case 'x':
	case 'X':
	case 'q': {
		struct tv s = { .kind = TV_STRING, .u.s = { text.ptr, text.len } };
		fmt_string(p, &s, text.ptr, text.len, verb);
		break;
	}
	default:
		p->erroring = true;
		buf_adds(p->out, "%!");
		add_rune(p->out, verb);
		buf_addch(p->out, '(');
		buf_adds(p->out, tv_type_name(v));
		buf_addch(p->out, '=');
		buf_add(p->out, text.ptr, text.len);
		buf_addch(p->out, ')');
		p->erroring = false;
		break;
	}
	buf_release(&text);
}

static void print_value(struct pp *p, const struct tv *v, int verb, int depth)
{
	if (over(p))
		return;
	if (depth > MAX_DEPTH) {
		p->out->err = ERR_TOOBIG;
		p->stop = true;
		return;
	}
	p->arg = NULL;
	if (is_nil(v)) {
		/* an element of an interface slice or map: a nil interface */
		buf_adds(p->out, p->sharp_v ? "interface {}(nil)" : "<nil>");
		return;
	}
	switch ((enum tv_kind)v->kind) {
	case TV_INVALID:
	case TV_NIL: break;
	case TV_BOOL: fmt_bool(p, v, verb); break;
	case TV_INT: fmt_int(p, v, (uint64_t)v->u.i, true, verb); break;
	case TV_UINT: fmt_int(p, v, v->u.u, false, verb); break;
	case TV_FLOAT: fmt_flt(p, v, verb); break;
	case TV_STRING: fmt_string(p, v, v->u.s.ptr, v->u.s.len, verb); break;
	case TV_BYTES: fmt_bytes(p, v, verb, tv_type_name(v), depth); break;
	case TV_LIST: {
		const char *type = tv_type_name(v);
		if (p->sharp_v) {
			buf_adds(p->out, type);
			buf_addch(p->out, '{');
		} else {
			buf_addch(p->out, '[');
		}
		for (size_t i = 0; i < v->u.list.len && !over(p); i++) {
			if (i > 0)
				buf_adds(p->out, p->sharp_v ? ", " : " ");
			print_value(p, v->u.list.items[i], verb, depth + 1);
		}
		buf_addch(p->out, p->sharp_v ? '}' : ']');
		break;
	}
	case TV_MAP: {
		if (p->sharp_v) {
			buf_adds(p->out, tv_type_name(v));
			buf_addch(p->out, '{');
		} else {
			buf_adds(p->out, "map[");
		}
		struct tv_pair **sorted = tv_map_sorted(pp_arena(p), v);
		for (size_t i = 0; i < v->u.map.len && !over(p); i++) {
			if (i > 0)
				buf_adds(p->out, p->sharp_v ? ", " : " ");
			struct tv key = { .kind = TV_STRING,
					  .u.s = { sorted[i]->key, sorted[i]->keylen } };
			print_value(p, &key, verb, depth + 1);
			buf_addch(p->out, ':');
			print_value(p, sorted[i]->value, verb, depth + 1);
		}
		buf_addch(p->out, p->sharp_v ? '}' : ']');
		break;
	}
	case TV_OBJECT: fmt_object(p, v, verb); break;
	case TV_FUNC: fmt_pointer(p, v, (uint64_t)(uintptr_t)v->u.fn, verb); break;
	}
}

/* Go's printArg: a top-level operand. */
static void print_arg(struct pp *p, const struct tv *v, int verb)
{
	if (over(p))
		return;
	p->arg = v;
	if (is_nil(v)) {
		if (verb == 'T' || verb == 'v')
			pads(p, "<nil>");
		else
			bad_verb(p, v, verb);
		return;
	}
	if (verb == 'T') {
		const char *t = tv_type_name(v);
		fmt_s(p, t, strlen(t));
		return;
	}
	if (verb == 'p') {
		switch ((enum tv_kind)v->kind) {
		case TV_LIST: fmt_pointer(p, v, (uint64_t)(uintptr_t)v->u.list.items, 'p'); return;
		case TV_MAP: fmt_pointer(p, v, (uint64_t)(uintptr_t)v, 'p'); return;
		case TV_BYTES: fmt_pointer(p, v, (uint64_t)(uintptr_t)v->u.s.ptr, 'p'); return;
		case TV_FUNC: fmt_pointer(p, v, (uint64_t)(uintptr_t)v->u.fn, 'p'); return;
		case TV_OBJECT:
			if (v->u.obj.ops->name[0] == '*') {
				fmt_pointer(p, v, (uint64_t)(uintptr_t)v->u.obj.data, 'p');
				return;
			}
			break;
		default: break;
		}
		bad_verb(p, v, verb);
		return;
	}
	switch ((enum tv_kind)v->kind) {
	case TV_BYTES:
		/* printArg's []byte case names the type "[]byte" for %#v */
		if (verb == 'v' || verb == 'd' || verb == 's' || verb == 'x' || verb == 'X' ||
		    verb == 'q')
			fmt_bytes(p, v, verb, "[]byte", 0);
		else
			print_value(p, v, verb, 0);
		p->arg = v;
		return;
	default:
		print_value(p, v, verb, 0);
		return;
	}
}

static void pp_init(struct pp *p, struct buf *out)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->start = out->len;
}

static void pp_release(struct pp *p)
{
	if (p->arena)
		arena_free(p->arena);
}

void tfmt_sprint(struct buf *out, struct tv *const *args, size_t nargs)
{
	struct pp p;
	pp_init(&p, out);
	bool prev_string = false;
	for (size_t i = 0; i < nargs; i++) {
		bool is_string = args[i] && args[i]->kind == TV_STRING;
		if (i > 0 && !is_string && !prev_string)
			buf_addch(out, ' ');
		print_arg(&p, args[i], 'v');
		prev_string = is_string;
	}
	pp_release(&p);
}

void tfmt_sprintln(struct buf *out, struct tv *const *args, size_t nargs)
{
	struct pp p;
	pp_init(&p, out);
	for (size_t i = 0; i < nargs; i++) {
		if (i > 0)
			buf_addch(out, ' ');
		print_arg(&p, args[i], 'v');
	}
	buf_addch(out, '\n');
	pp_release(&p);
}

void tfmt_value(struct buf *out, const struct tv *v)
{
	if (!v || v->kind == TV_INVALID) {
		buf_adds(out, "<no value>");
		return;
	}
	struct pp p;
	pp_init(&p, out);
	print_arg(&p, v, 'v');
	pp_release(&p);
}

/* ---- Sprintf ------------------------------------------------------------------------ */

static bool too_large(long x)
{
	return x > TOO_LARGE || x < -TOO_LARGE;
}

/* Go's parsenum: a decimal at format[start, end). */
static bool parsenum(const char *f, size_t start, size_t end, int *num, size_t *newi)
{
	long n = 0;
	bool isnum = false;
	size_t i = start;
	for (; i < end && f[i] >= '0' && f[i] <= '9'; i++) {
		if (too_large(n)) {
			*num = 0;
			*newi = end;
			return false;
		}
		n = n * 10 + (f[i] - '0');
		isnum = true;
	}
	*num = (int)n;
	*newi = i;
	return isnum;
}

/* Go's intFromArg: a '*' width or precision. */
static bool int_from_arg(struct tv *const *args, size_t nargs, size_t *argnum, int *num)
{
	bool ok = false;
	long n = 0;
	*num = 0;
	if (*argnum < nargs) {
		const struct tv *a = args[*argnum];
		if (a && a->kind == TV_INT) {
			n = (long)a->u.i;
			ok = true;
		} else if (a && a->kind == TV_UINT && a->u.u <= (uint64_t)INT64_MAX) {
			n = (long)a->u.u;
			ok = true;
		}
		(*argnum)++;
		if (ok && too_large(n)) {
			n = 0;
			ok = false;
		}
	}
	*num = ok ? (int)n : 0;
	return ok;
}

struct argstate {
	size_t argnum;
	bool reordered;
	bool good_argnum;
};

/* Go's argNumber: an optional [n] at format[i]. Returns whether one was found (afterIndex). */
static bool arg_number(struct argstate *st, const char *f, size_t end, size_t *i, size_t nargs)
{
	if (*i >= end || f[*i] != '[')
		return false;
	st->reordered = true;
	/* parseArgNumber on f[*i:] */
	size_t len = end - *i;
	const char *s = f + *i;
	if (len < 3) {
		*i += 1;
		st->good_argnum = false;
		return false;
	}
	for (size_t j = 1; j < len; j++) {
		if (s[j] == ']') {
			int width;
			size_t newi;
			bool ok = parsenum(s, 1, j, &width, &newi);
			if (!ok || newi != j) {
				*i += j + 1;
				st->good_argnum = false;
				return false;
			}
			long index = (long)width - 1;
			*i += j + 1;
			if (index >= 0 && (size_t)index < nargs) {
				st->argnum = (size_t)index;
				return true;
			}
			st->good_argnum = false;
			return true;
		}
	}
	*i += 1;
	st->good_argnum = false;
	return false;
}

void tfmt_sprintf(struct buf *out, const char *format, size_t flen, struct tv *const *args,
		  size_t nargs)
{
	struct pp p;
	pp_init(&p, out);
	struct argstate st = { 0 };
	bool after_index = false;
	size_t end = flen;
	for (size_t i = 0; i < end && !over(&p);) {
		st.good_argnum = true;
		size_t lasti = i;
		while (i < end && format[i] != '%')
			i++;
		if (i > lasti)
			buf_add(out, format + lasti, i - lasti);
		if (i >= end)
			break;
		i++; /* the % */
		clear_flags(&p);
		bool done = false;
		for (; i < end; i++) {
			char c = format[i];
			if (c == '#') {
				p.sharp = true;
			} else if (c == '0') {
				p.zero = !p.minus;
			} else if (c == '+') {
				p.plus = true;
			} else if (c == '-') {
				p.minus = true;
				p.zero = false;
			} else if (c == ' ') {
				p.space = true;
			} else {
				if (c >= 'a' && c <= 'z' && st.argnum < nargs) {
					/* the fast path: a simple verb with no width or index */
					if (c == 'v') {
						p.sharp_v = p.sharp;
						p.sharp = false;
						p.plus_v = p.plus;
						p.plus = false;
					}
					print_arg(&p, args[st.argnum], c);
					st.argnum++;
					i++;
					done = true;
				}
				break;
			}
		}
		if (done)
			continue;

		after_index = arg_number(&st, format, end, &i, nargs);

		if (i < end && format[i] == '*') {
			i++;
			p.wid_present = int_from_arg(args, nargs, &st.argnum, &p.wid);
			if (!p.wid_present)
				buf_adds(out, "%!(BADWIDTH)");
			if (p.wid < 0) {
				p.wid = -p.wid;
				p.minus = true;
				p.zero = false;
			}
			after_index = false;
		} else {
			p.wid_present = parsenum(format, i, end, &p.wid, &i);
			if (after_index && p.wid_present)
				st.good_argnum = false;
		}

		if (i + 1 < end && format[i] == '.') {
			i++;
			if (after_index)
				st.good_argnum = false;
			after_index = arg_number(&st, format, end, &i, nargs);
			if (i < end && format[i] == '*') {
				i++;
				p.prec_present = int_from_arg(args, nargs, &st.argnum, &p.prec);
				if (p.prec < 0) {
					p.prec = 0;
					p.prec_present = false;
				}
				if (!p.prec_present)
					buf_adds(out, "%!(BADPREC)");
				after_index = false;
			} else {
				p.prec_present = parsenum(format, i, end, &p.prec, &i);
				if (!p.prec_present) {
					p.prec = 0;
					p.prec_present = true;
				}
			}
		}

		if (!after_index)
			after_index = arg_number(&st, format, end, &i, nargs);

		if (i >= end) {
			buf_adds(out, "%!(NOVERB)");
			break;
		}

		int verb = (unsigned char)format[i];
		size_t size = 1;
		if (verb >= 0x80) {
			size_t k = utf8_valid_prefix(format + i, end - i);
			if (k) {
				verb = (int)utf8_decode(format + i, k);
				size = k;
			} else {
				verb = 0xFFFD;
			}
		}
		i += size;

		if (verb == '%') {
			buf_addch(out, '%');
		} else if (!st.good_argnum) {
			buf_adds(out, "%!");
			add_rune(out, verb);
			buf_adds(out, "(BADINDEX)");
		} else if (st.argnum >= nargs) {
			buf_adds(out, "%!");
			add_rune(out, verb);
			buf_adds(out, "(MISSING)");
		} else {
			if (verb == 'v') {
				p.sharp_v = p.sharp;
				p.sharp = false;
				p.plus_v = p.plus;
				p.plus = false;
			}
			print_arg(&p, args[st.argnum], verb);
			st.argnum++;
		}
	}

	if (!st.reordered && st.argnum < nargs && !over(&p)) {
		clear_flags(&p);
		buf_adds(out, "%!(EXTRA ");
		for (size_t k = st.argnum; k < nargs; k++) {
			if (k > st.argnum)
				buf_adds(out, ", ");
			if (is_nil(args[k])) {
				buf_adds(out, "<nil>");
			} else {
				buf_adds(out, tv_type_name(args[k]));
				buf_addch(out, '=');
				print_arg(&p, args[k], 'v');
			}
		}
		buf_addch(out, ')');
	}
	pp_release(&p);
}
