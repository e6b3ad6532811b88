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

/* Go's strconv.IsPrint, closely: letters, marks, numbers, punctuation, symbols and the
 * ASCII space. Outside ASCII this knows the controls, the format characters and the
 * spaces that matter in practice; other code points are taken as printable. */
static bool is_print(uint32_t r)
{
	if (r < 0x80)
		return r >= 0x20 && r < 0x7F;
	if (r < 0xA0 || r == 0xAD || r == 0xA0)
		return false;
	if (r == 0x1680 || (r >= 0x2000 && r <= 0x200F) || (r >= 0x2028 && r <= 0x202F) ||
	    (r >= 0x205F && r <= 0x206F) || r == 0x3000 || r == 0xFEFF ||
	    (r >= 0xFFF9 && r <= 0xFFFB) || r == 0xFFFE || r == 0xFFFF)
		return false;
	if ((r >= 0x600 && r <= 0x605) || r == 0x61C || r == 0x6DD || r == 0x70F || r == 0x180E)
		return false;
	if ((r >= 0xD800 && r <= 0xF8FF) || r >= 0xF0000 || (r >= 0xE0000 && r <= 0xE0FFF))
		return false; /* surrogates, private use, tags */
	return true;
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
