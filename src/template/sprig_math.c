/*
 * sprig's arithmetic (table tfuncs_sprig_math), as sprig v3.3.0 defines it for Helm:
 *
 * - add, add1, sub, mul, div, mod, max (biggest), min work on int64 after cast.ToInt64 of
 *   each operand (strings parsed, floats truncated, anything else 0), wrapping on overflow
 *   as Go does; a zero divisor is Go's runtime panic, which text/template reports as
 *   "error calling div: runtime error: integer divide by zero".
 * - floor, ceil, round, maxf, minf work on float64 after cast.ToFloat64; round uses
 *   math.Pow(10, places) computed as Go computes it (successive squaring), so the same
 *   inputs round the same way.
 * - addf, add1f, subf, mulf, divf go through shopspring/decimal: each float becomes the
 *   exact decimal of its shortest digits, the operation is exact (divf: to 16 decimal
 *   places, half away from zero), and the result is the nearest float64. So addf 0.1 0.2
 *   is 0.3, not 0.30000000000000004. Decimals here are digit strings with an exponent;
 *   the second operand of each step is always one float's digits (17 at most), so
 *   multiplication and division only ever need a 64-bit multiplier or divisor.
 * - until, untilStep, seq build []int ranges; randInt is math/rand's Intn on a CSPRNG.
 * - toDecimal reads fmt.Sprint of its operand as octal ("0777" is 511).
 *
 * Ranges and decimals come from tenant templates, so their sizes are capped (ERR_TOOBIG).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "template/sprig.h"
#include "template/template_int.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Defined in sprig_conv.c (cast and strconv as sprig sees them); they belong in sprig.h. */
int64_t sprig_cast_int64(const struct tv *v);
double sprig_cast_float64(const struct tv *v);
int sprig_parse_int(const char *s, size_t n, int base, int64_t *out);

enum {
	MAX_RANGE = 1000000,   /* elements of one until/untilStep/seq */
	MAX_DIGITS = 20000,    /* digits of one decimal in addf ... divf */
	DIV_PRECISION = 16,    /* shopspring's DivisionPrecision */
};

/* ---- Integers ----------------------------------------------------------------------- */

static int64_t wrap_add(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

static int64_t wrap_mul(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a * (uint64_t)b);
}

static struct tv *int64_value(struct texec *x, int64_t i)
{
	return tv_int_typed(x->arena, i, "int64");
}

static int f_add1(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	*out = int64_value(x, wrap_add(sprig_cast_int64(args[0]), 1));
	return 0;
}

static int f_add(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	int64_t a = 0;
	for (size_t i = 0; i < nargs; i++)
		a = wrap_add(a, sprig_cast_int64(args[i]));
	*out = int64_value(x, a);
	return 0;
}

static int f_sub(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	int64_t a = sprig_cast_int64(args[0]), b = sprig_cast_int64(args[1]);
	*out = int64_value(x, (int64_t)((uint64_t)a - (uint64_t)b));
	return 0;
}

static int divide(struct texec *x, struct tv *const *args, bool mod, struct tv **out)
{
	int64_t a = sprig_cast_int64(args[0]), b = sprig_cast_int64(args[1]);
	if (b == 0)
		return texec_fail(x, "runtime error: integer divide by zero");
	int64_t r;
	if (b == -1) /* Go: MinInt64 / -1 is MinInt64, MinInt64 % -1 is 0 */
		r = mod ? 0 : (int64_t)(0 - (uint64_t)a);
	else
		r = mod ? a % b : a / b;
	*out = int64_value(x, r);
	return 0;
}

static int f_div(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return divide(x, args, false, out);
}

static int f_mod(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return divide(x, args, true, out);
}

static int f_mul(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	int64_t a = sprig_cast_int64(args[0]);
	for (size_t i = 1; i < nargs; i++)
		a = wrap_mul(a, sprig_cast_int64(args[i]));
	*out = int64_value(x, a);
	return 0;
}

static int f_max(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	int64_t a = sprig_cast_int64(args[0]);
	for (size_t i = 1; i < nargs; i++) {
		int64_t b = sprig_cast_int64(args[i]);
		if (b > a)
			a = b;
	}
	*out = int64_value(x, a);
	return 0;
}

static int f_min(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	int64_t a = sprig_cast_int64(args[0]);
	for (size_t i = 1; i < nargs; i++) {
		int64_t b = sprig_cast_int64(args[i]);
		if (b < a)
			a = b;
	}
	*out = int64_value(x, a);
	return 0;
}

static uint64_t random64(void)
{
	uint64_t r;
	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		/* no entropy source: still uniform enough for a template's randInt */
		r = ((uint64_t)random() << 33) ^ ((uint64_t)random() << 11) ^ (uint64_t)random();
	}
	return r;
}

/* randInt MIN MAX: rand.Intn(max-min) + min, in [min, max). */
static int f_rand_int(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	int64_t lo = args[0]->u.i, hi = args[1]->u.i;
	int64_t n = (int64_t)((uint64_t)hi - (uint64_t)lo);
	if (n <= 0)
		return texec_fail(x, "invalid argument to Intn");
	uint64_t un = (uint64_t)n, limit = UINT64_MAX - UINT64_MAX % un, r;
	do
		r = random64();
	while (r >= limit);
	*out = tv_int(x->arena, wrap_add((int64_t)(r % un), lo));
	return 0;
}

/* ---- Floats --------------------------------------------------------------------------- */

static int f_floor(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	*out = tv_float(x->arena, floor(sprig_cast_float64(args[0])));
	return 0;
}

static int f_ceil(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	*out = tv_float(x->arena, ceil(sprig_cast_float64(args[0])));
	return 0;
}

/* Go's math.Pow(10, n) for an integer n: successive squarings of frexp(10), powers of two
 * kept apart, then 1/x for a negative n. Past 10^22 this is not always the correctly
 * rounded power, and round must see the same value Go does. */
static double go_pow10(int64_t n)
{
	if (n == 0)
		return 1;
	if (n == 1)
		return 10;
	uint64_t yi = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;
	double a1 = 1.0;
	long ae = 0;
	int xe;
	double x1 = frexp(10.0, &xe);
	long xel = xe;
	for (uint64_t i = yi; i != 0; i >>= 1) {
		if (xel < -(1 << 12) || (1 << 12) < xel) {
			ae += xel;
			break;
		}
		if (i & 1) {
			a1 *= x1;
			ae += xel;
		}
		x1 *= x1;
		xel <<= 1;
		if (x1 < .5) {
			x1 += x1;
			xel--;
		}
	}
	if (n < 0) {
		a1 = 1 / a1;
		ae = -ae;
	}
	if (ae > 100000)
		ae = 100000;
	if (ae < -100000)
		ae = -100000;
	return ldexp(a1, (int)ae);
}

/* round V PLACES [ROUND_ON]: ceil when the fraction of V*10^PLACES is at least ROUND_ON
 * (0.5), else floor, divided back. */
static int f_round(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	double round_on = nargs > 2 ? args[2]->u.f : .5;
	double val = sprig_cast_float64(args[0]);
	double pow = go_pow10(args[1]->u.i);
	double digit = pow * val, ip;
	double frac = modf(digit, &ip);
	double r = frac >= round_on ? ceil(digit) : floor(digit);
	*out = tv_float(x->arena, r / pow);
	return 0;
}

/* Go's math.Max and math.Min. */
static double go_max(double a, double b)
{
	if (isinf(a) && a > 0)
		return a;
	if (isinf(b) && b > 0)
		return b;
	if (isnan(a) || isnan(b))
		return NAN;
	if (a == 0 && a == b)
		return signbit(a) ? b : a;
	return a > b ? a : b;
}

static double go_min(double a, double b)
{
	if (isinf(a) && a < 0)
		return a;
	if (isinf(b) && b < 0)
		return b;
	if (isnan(a) || isnan(b))
		return NAN;
	if (a == 0 && a == b)
		return signbit(a) ? a : b;
	return a < b ? a : b;
}

static int f_maxf(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	double a = sprig_cast_float64(args[0]);
	for (size_t i = 1; i < nargs; i++)
		a = go_max(a, sprig_cast_float64(args[i]));
	*out = tv_float(x->arena, a);
	return 0;
}

static int f_minf(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	double a = sprig_cast_float64(args[0]);
	for (size_t i = 1; i < nargs; i++)
		a = go_min(a, sprig_cast_float64(args[i]));
	*out = tv_float(x->arena, a);
	return 0;
}

/* ---- Decimals (shopspring/decimal as sprig's addf ... divf use it) ------------------- */

/* value = (neg ? -1 : 1) * digits * 10^exp; d[0] is the least significant digit, no
 * leading zeros, n = 0 for zero. */
struct dec {
	bool neg;
	int64_t exp;
	unsigned char *d;
	size_t n, cap;
};

static void dec_release(struct dec *a)
{
	free(a->d);
	*a = (struct dec){ 0 };
}

static void dec_reserve(struct dec *a, size_t n)
{
	if (n > a->cap) {
		size_t cap = a->cap ? a->cap : 32;
		while (cap < n)
			cap *= 2;
		a->d = xrealloc(a->d, cap);
		a->cap = cap;
	}
}

static void dec_trim(struct dec *a)
{
	while (a->n && a->d[a->n - 1] == 0)
		a->n--;
	if (!a->n)
		a->neg = false;
}

/* The shortest digits of f (NewFromFloat). f is finite. */
static void dec_from_float(struct dec *a, double f)
{
	*a = (struct dec){ 0 };
	if (f == 0)
		return;
	char tmp[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, fabs(f));
		if (strtod(tmp, NULL) == fabs(f))
			break;
	}
	char digits[24];
	int nd = 0;
	const char *q = tmp;
	for (; *q && *q != 'e'; q++)
		if (*q >= '0' && *q <= '9')
			digits[nd++] = *q;
	int e10 = (int)strtol(q + 1, NULL, 10); /* f = d.ddd * 10^e10 */
	dec_reserve(a, (size_t)nd);
	for (int i = 0; i < nd; i++)
		a->d[i] = (unsigned char)(digits[nd - 1 - i] - '0');
	a->n = (size_t)nd;
	a->exp = e10 - (nd - 1);
	a->neg = f < 0;
	dec_trim(a);
}

/* Multiplies the digits by 10^k (lowers exp by k). */
static int dec_shift(struct texec *x, struct dec *a, int64_t k)
{
	if (k <= 0 || !a->n)
		return 0;
	if ((uint64_t)k + a->n > MAX_DIGITS)
		return texec_failc(x, ERR_TOOBIG, "decimal result longer than %d digits",
				   MAX_DIGITS);
	dec_reserve(a, a->n + (size_t)k);
	memmove(a->d + k, a->d, a->n);
	memset(a->d, 0, (size_t)k);
	a->n += (size_t)k;
	a->exp -= k;
	return 0;
}

static int mag_cmp(const struct dec *a, const struct dec *b)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (size_t i = a->n; i > 0; i--)
		if (a->d[i - 1] != b->d[i - 1])
			return a->d[i - 1] < b->d[i - 1] ? -1 : 1;
	return 0;
}

/* a = a + (negate ? -b : b); b is not changed (it is rescaled in a copy). */
static int dec_add(struct texec *x, struct dec *a, const struct dec *b0, bool negate)
{
	struct dec b = { .neg = b0->neg != negate, .exp = b0->exp };
	dec_reserve(&b, b0->n ? b0->n : 1);
	if (b0->n)
		memcpy(b.d, b0->d, b0->n);
	b.n = b0->n;
	int rc = 0;
	if (!b.n)
		goto done;
	if (!a->n) {
		int64_t e = b.exp;
		dec_release(a);
		*a = b;
		a->exp = e;
		return 0;
	}
	/* RescalePair: both to the smaller exponent */
	if (a->exp > b.exp)
		rc = dec_shift(x, a, a->exp - b.exp);
	else if (b.exp > a->exp)
		rc = dec_shift(x, &b, b.exp - a->exp);
	if (rc)
		goto done;
	if (a->neg == b.neg) {
		size_t n = (a->n > b.n ? a->n : b.n) + 1;
		dec_reserve(a, n);
		memset(a->d + a->n, 0, n - a->n);
		int carry = 0;
		for (size_t i = 0; i < n; i++) {
			int s = a->d[i] + (i < b.n ? b.d[i] : 0) + carry;
			a->d[i] = (unsigned char)(s % 10);
			carry = s / 10;
		}
		a->n = n;
	} else {
		/* different signs: the larger magnitude minus the smaller, its sign */
		const struct dec *big = a, *small = &b;
		int c = mag_cmp(a, &b);
		if (c == 0) {
			a->n = 0;
			a->neg = false;
			goto done;
		}
		struct dec r = { .neg = c > 0 ? a->neg : b.neg, .exp = a->exp };
		if (c < 0)
			big = &b, small = a;
		dec_reserve(&r, big->n);
		int borrow = 0;
		for (size_t i = 0; i < big->n; i++) {
			int s = big->d[i] - (i < small->n ? small->d[i] : 0) - borrow;
			borrow = s < 0;
			r.d[i] = (unsigned char)(s + (borrow ? 10 : 0));
		}
		r.n = big->n;
		dec_release(a);
		*a = r;
	}
	dec_trim(a);
done:
	dec_release(&b);
	return rc;
}

/* The digits of b as an integer (b has at most 17 digits: one float's). */
static uint64_t dec_small(const struct dec *b)
{
	uint64_t v = 0;
	for (size_t i = b->n; i > 0; i--)
		v = v * 10 + b->d[i - 1];
	return v;
}

/* a = a * b, b one float's decimal. */
static int dec_mul(struct texec *x, struct dec *a, const struct dec *b)
{
	if (!a->n || !b->n) {
		a->n = 0;
		a->neg = false;
		a->exp += b->exp;
		return 0;
	}
	if (a->n + b->n > MAX_DIGITS)
		return texec_failc(x, ERR_TOOBIG, "decimal result longer than %d digits",
				   MAX_DIGITS);
	uint64_t m = dec_small(b);
	/* carry < m throughout, so digit * m + carry < 10 * m < 10^18 */
	uint64_t carry = 0;
	for (size_t i = 0; i < a->n; i++) {
		uint64_t t = a->d[i] * m + carry;
		a->d[i] = (unsigned char)(t % 10);
		carry = t / 10;
	}
	while (carry) {
		dec_reserve(a, a->n + 1);
		a->d[a->n++] = (unsigned char)(carry % 10);
		carry /= 10;
	}
	a->exp += b->exp;
	a->neg = a->neg != b->neg;
	dec_trim(a);
	return 0;
}

/* Digits d[from, n) as a number divided by m: quotient in place of those digits (shifted
 * down to d[0]), remainder returned. */
static uint64_t dec_divsmall(struct dec *a, size_t from, uint64_t m)
{
	uint64_t r = 0;
	size_t qn = a->n > from ? a->n - from : 0;
	for (size_t i = a->n; i > from; i--) {
		uint64_t t = r * 10 + a->d[i - 1];
		a->d[i - 1 - from] = (unsigned char)(t / m);
		r = t % m;
	}
	a->n = qn;
	return r;
}

/* a = a / b rounded to DIV_PRECISION places, half away from zero (DivRound). */
static int dec_div(struct texec *x, struct dec *a, const struct dec *b)
{
	if (!b->n)
		return texec_fail(x, "decimal division by 0");
	bool neg = a->neg != b->neg;
	uint64_t m = dec_small(b);
	/* q = a / b as an integer multiple of 10^-16: a * 10^(ea - eb + 16) / m */
	int64_t e = a->exp - b->exp + DIV_PRECISION;
	bool up;
	if (e >= 0) {
		a->exp = 0;
		int rc = dec_shift(x, a, e);
		if (rc)
			return rc;
		uint64_t r = dec_divsmall(a, 0, m);
		up = r >= m - r; /* 2r >= m */
	} else {
		/* a / (m * 10^k) = (a / 10^k) / m: drop the low k digits, then divide; the
		 * dropped digits only matter at an exact half of m */
		uint64_t k = (uint64_t)-e;
		bool low_half = k <= a->n && a->d[k - 1] >= 5;
		uint64_t r = k < a->n ? dec_divsmall(a, (size_t)k, m) : (a->n = 0, 0);
		up = 2 * r >= m || (2 * r + 1 == m && low_half);
	}
	a->exp = -DIV_PRECISION;
	a->neg = neg;
	dec_trim(a);
	if (up) {
		struct dec one = { .neg = neg, .exp = -DIV_PRECISION };
		unsigned char d1 = 1;
		one.d = &d1;
		one.n = 1;
		/* add a unit of the quotient's sign: away from zero */
		if (!a->n) {
			dec_reserve(a, 1);
			a->d[0] = 1;
			a->n = 1;
			a->neg = neg;
		} else {
			struct dec tmp = one;
			tmp.neg = a->neg;
			int rc = dec_add(x, a, &tmp, false);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* The nearest float64 (big.Rat's Float64). */
static double dec_float(const struct dec *a)
{
	if (!a->n)
		return 0;
	struct buf b = BUF_INIT;
	if (a->neg)
		buf_addch(&b, '-');
	for (size_t i = a->n; i > 0; i--)
		buf_addch(&b, (char)('0' + a->d[i - 1]));
	buf_addf(&b, "e%lld", (long long)a->exp);
	double f = strtod(b.ptr, NULL);
	buf_release(&b);
	return f;
}

enum decop { DEC_ADD, DEC_SUB, DEC_MUL, DEC_DIV };

static int dec_from(struct texec *x, const struct tv *v, struct dec *out)
{
	double f = sprig_cast_float64(v);
	if (isnan(f) || isinf(f)) {
		*out = (struct dec){ 0 };
		return texec_fail(x, "Cannot create a Decimal from %s",
				  isnan(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf");
	}
	dec_from_float(out, f);
	return 0;
}

/* execDecimalOp: first op operand, then each of rest in turn. */
static int decimal_op(struct texec *x, const struct tv *first, struct tv *const *rest,
		      size_t nrest, enum decop op, struct tv **out)
{
	struct dec acc, b = { 0 };
	int rc = dec_from(x, first, &acc);
	for (size_t i = 0; !rc && i < nrest; i++) {
		if ((rc = dec_from(x, rest[i], &b)))
			break;
		switch (op) {
		case DEC_ADD: rc = dec_add(x, &acc, &b, false); break;
		case DEC_SUB: rc = dec_add(x, &acc, &b, true); break;
		case DEC_MUL: rc = dec_mul(x, &acc, &b); break;
		case DEC_DIV: rc = dec_div(x, &acc, &b); break;
		}
		dec_release(&b);
	}
	dec_release(&b);
	if (!rc)
		*out = tv_float(x->arena, dec_float(&acc));
	dec_release(&acc);
	return rc;
}

static int f_add1f(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct tv one = { .kind = TV_INT, .u.i = 1 };
	struct tv *rest[] = { &one };
	return decimal_op(x, args[0], rest, 1, DEC_ADD, out);
}

static int f_addf(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	struct tv zero = { .kind = TV_FLOAT, .u.f = 0 };
	return decimal_op(x, &zero, args, nargs, DEC_ADD, out);
}

static int f_subf(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	return decimal_op(x, args[0], args + 1, nargs - 1, DEC_SUB, out);
}

static int f_mulf(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	return decimal_op(x, args[0], args + 1, nargs - 1, DEC_MUL, out);
}

static int f_divf(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	return decimal_op(x, args[0], args + 1, nargs - 1, DEC_DIV, out);
}

/* ---- Ranges --------------------------------------------------------------------------- */

/* untilStep's loop, into list (type []int) or, when text is not NULL, as seq's text. */
static int until_step(struct texec *x, const char *fn, int64_t start, int64_t stop,
		      int64_t step, struct tv *list, struct buf *text)
{
	bool down = stop < start;
	if (down ? step >= 0 : step <= 0)
		return 0;
	size_t count = 0;
	for (int64_t i = start; down ? i > stop : i < stop;) {
		if (++count > MAX_RANGE)
			return texec_failc(x, ERR_TOOBIG, "%s: more than %d elements", fn,
					   MAX_RANGE);
		if (list)
			tv_list_push(x->arena, list, tv_int(x->arena, i));
		else
			buf_addf(text, "%s%lld", text->len ? " " : "", (long long)i);
		int64_t next;
		if (__builtin_add_overflow(i, step, &next))
			/* Go wraps around and goes on until memory runs out */
			return texec_failc(x, ERR_TOOBIG, "%s: more than %d elements", fn,
					   MAX_RANGE);
		i = next;
	}
	return 0;
}

static struct tv *int_list(struct texec *x)
{
	struct tv *l = tv_list(x->arena, 0);
	l->type = "[]int";
	return l;
}

static int f_until(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	int64_t count = args[0]->u.i;
	struct tv *l = int_list(x);
	int rc = until_step(x, "until", 0, count, count < 0 ? -1 : 1, l, NULL);
	*out = l;
	return rc;
}

static int f_until_step(struct texec *x, struct tv *const *args, size_t nargs,
			struct tv **out)
{
	(void)nargs;
	struct tv *l = int_list(x);
	int rc = until_step(x, "untilStep", args[0]->u.i, args[1]->u.i, args[2]->u.i, l, NULL);
	*out = l;
	return rc;
}

/* seq END, seq START END, seq START STEP END: inclusive, as Unix seq; the numbers joined
 * by spaces. */
static int f_seq(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	struct buf text = BUF_INIT;
	int rc = 0;
	int64_t start, end, step;
	switch (nargs) {
	case 1:
		start = 1;
		end = args[0]->u.i;
		step = end < start ? -1 : 1;
		rc = until_step(x, "seq", start, wrap_add(end, step), step, NULL, &text);
		break;
	case 2:
		start = args[0]->u.i;
		end = args[1]->u.i;
		step = end < start ? -1 : 1;
		rc = until_step(x, "seq", start, wrap_add(end, step), step, NULL, &text);
		break;
	case 3: {
		start = args[0]->u.i;
		step = args[1]->u.i;
		end = args[2]->u.i;
		int64_t inc = 1;
		if (end < start) {
			inc = -1;
			if (step > 0)
				break;
		}
		rc = until_step(x, "seq", start, wrap_add(end, inc), step, NULL, &text);
		break;
	}
	default: break;
	}
	if (!rc)
		*out = tv_strn(x->arena, text.ptr, text.len);
	buf_release(&text);
	return rc;
}

/* ---- Octal ---------------------------------------------------------------------------- */

/* toDecimal V: strconv.ParseInt(fmt.Sprint(V), 8, 64), 0 when that fails. */
static int f_to_decimal(struct texec *x, struct tv *const *args, size_t nargs,
			struct tv **out)
{
	(void)nargs;
	struct buf b = BUF_INIT;
	struct tv *arg[1] = { tv_is_nil(args[0]) ? &tv_nil_value : args[0] };
	tfmt_sprint(&b, arg, 1);
	int64_t i;
	if (sprig_parse_int(b.ptr, b.len, 8, &i) != 0)
		i = 0;
	buf_release(&b);
	*out = int64_value(x, i);
	return 0;
}

static const struct tfunc math_funcs[] = {
	{ "toDecimal", f_to_decimal, "a", "I" },
	{ "seq", f_seq, "i*", "s" },
	{ "until", f_until, "i", "le" },
	{ "untilStep", f_until_step, "iii", "le" },
	{ "add1", f_add1, "a", "I" },
	{ "add", f_add, "a*", "I" },
	{ "sub", f_sub, "aa", "I" },
	{ "div", f_div, "aa", "Ie" },
	{ "mod", f_mod, "aa", "Ie" },
	{ "mul", f_mul, "aa*", "I" },
	{ "randInt", f_rand_int, "ii", "ie" },
	{ "add1f", f_add1f, "a", "fe" },
	{ "addf", f_addf, "a*", "fe" },
	{ "subf", f_subf, "aa*", "fe" },
	{ "divf", f_divf, "aa*", "fe" },
	{ "mulf", f_mulf, "aa*", "fe" },
	{ "biggest", f_max, "aa*", "I" },
	{ "max", f_max, "aa*", "I" },
	{ "min", f_min, "aa*", "I" },
	{ "maxf", f_maxf, "aa*", "f" },
	{ "minf", f_minf, "aa*", "f" },
	{ "ceil", f_ceil, "a", "f" },
	{ "floor", f_floor, "a", "f" },
	{ "round", f_round, "aif*", "f" },
};

const struct tfunc_table tfuncs_sprig_math = { math_funcs,
					       sizeof(math_funcs) / sizeof(*math_funcs) };
