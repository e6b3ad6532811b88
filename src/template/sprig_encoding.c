/*
 * sprig's encodings, digests and random strings (sprig v3.3 strings.go, crypto.go,
 * network.go): b64enc/b64dec and b32enc/b32dec with Go's encoding/base64 and base32
 * StdEncoding (decoders print Go's "illegal base64 data at input byte N" in place of the
 * result, as sprig does), sha1sum/sha256sum/sha512sum as lowercase hex, adler32sum as a
 * decimal, uuidv4, randAlphaNum/randAlpha/randNumeric/randAscii (goutils' CryptoRandom*:
 * uniform picks from crypto randomness) and randBytes (base64 of count random bytes).
 *
 * Randomness comes from OpenSSL's RAND_bytes, as sprig's from crypto/rand. The random
 * strings are capped (TFUNC_RAND_MAX) so a tenant's `randAlpha 1000000000` fails with
 * ERR_TOOBIG instead of allocating a gigabyte. getHostByName never resolves: templates
 * must not reach the network, so it gives "" (what Helm's own "disabled" lookups give).
 *
 * Also sprig's JSON family (defaults.go): toJson, toPrettyJson, toRawJson and their must
 * forms with encoding/json's output (HTML-safe escapes except for the raw forms), and
 * fromJson/mustFromJson with encoding/json's syntax errors. Helm registers its own toJson,
 * mustToJson and fromJson over sprig's; the others stay sprig's.
 */
#include "template/sprig.h"
#include "template/template_int.h"

#include <math.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "util/banned.h"

/* The longest random string or byte count one call may ask for. */
#define TFUNC_RAND_MAX ((int64_t)16 << 20)

static int str_result(struct texec *x, const char *p, size_t n, struct tv **out)
{
	*out = tv_strn(texec_arena(x), p, n);
	return 0;
}

static int buf_result(struct texec *x, struct buf *b, struct tv **out)
{
	str_result(x, b->ptr, b->len, out);
	buf_release(b);
	return 0;
}

/* ---- base64 and base32 ------------------------------------------------------------ */

static int f_b64enc(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf b = BUF_INIT;
	base64_encode(&b, args[0]->u.s.ptr, args[0]->u.s.len);
	return buf_result(x, &b, out);
}

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Go's base64.StdEncoding.DecodeString: padding required, '\r' and '\n' skipped anywhere,
 * any other byte outside the alphabet an error at its offset. Returns -1 with the bytes in
 * out, or the offset Go's CorruptInputError names. Shared with sprig_crypto.c (decryptAES,
 * buildCustomCert), which declares it too: NEEDSWORK: its prototype belongs in sprig.h.
 */
long sprig_go_b64_decode(const char *s, size_t n, struct buf *out);
long sprig_go_b64_decode(const char *s, size_t n, struct buf *out)
{
	size_t si = 0;
	for (;;) {
		int q[4] = {0, 0, 0, 0};
		int dlen = 4;
		long bad = -1;
		for (int j = 0; j < 4; j++) {
			if (si == n) {
				if (j == 0)
					return -1;
				return (long)(si - (size_t)j);
			}
			unsigned char c = (unsigned char)s[si++];
			int v = b64val(c);
			if (v >= 0) {
				q[j] = v;
				continue;
			}
			if (c == '\n' || c == '\r') {
				j--;
				continue;
			}
			if (c != '=' || j < 2)
				return (long)(si - 1);
			if (j == 2) {
				while (si < n && (s[si] == '\n' || s[si] == '\r'))
					si++;
				if (si == n)
					return (long)n;
				if (s[si] != '=')
					return (long)(si - 1);
				si++;
			}
			while (si < n && (s[si] == '\n' || s[si] == '\r'))
				si++;
			if (si < n)
				bad = (long)si;
			dlen = j;
			break;
		}
		unsigned v = (unsigned)q[0] << 18 | (unsigned)q[1] << 12 | (unsigned)q[2] << 6 |
			     (unsigned)q[3];
		unsigned char o[3] = {(unsigned char)(v >> 16), (unsigned char)(v >> 8),
				      (unsigned char)v};
		buf_add(out, o, (size_t)(dlen - 1));
		if (bad >= 0)
			return bad;
		if (dlen < 4)
			return -1;
	}
}

static int f_b64dec(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf b = BUF_INIT;
	long bad = sprig_go_b64_decode(args[0]->u.s.ptr, args[0]->u.s.len, &b);
	if (bad >= 0) {
		buf_reset(&b);
		buf_addf(&b, "illegal base64 data at input byte %ld", bad);
	}
	return buf_result(x, &b, out);
}

static const char b32_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static int f_b32enc(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const unsigned char *p = (const unsigned char *)args[0]->u.s.ptr;
	size_t n = args[0]->u.s.len;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i += 5) {
		unsigned char blk[5] = {0, 0, 0, 0, 0};
		size_t k = n - i < 5 ? n - i : 5;
		memcpy(blk, p + i, k);
		uint64_t v = (uint64_t)blk[0] << 32 | (uint64_t)blk[1] << 24 |
			     (uint64_t)blk[2] << 16 | (uint64_t)blk[3] << 8 | blk[4];
		/* characters that carry data: 2, 4, 5, 7, 8 for 1..5 input bytes */
		static const int chars[6] = {0, 2, 4, 5, 7, 8};
		for (int c = 0; c < 8; c++)
			buf_addch(&b, c < chars[k] ? b32_alpha[(v >> (35 - 5 * c)) & 31] : '=');
	}
	return buf_result(x, &b, out);
}

static int b32val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

/* Go's base32.StdEncoding.DecodeString (newlines stripped first, offsets counted in the
 * stripped input as Go counts them). -1 or the bad offset, as go_b64_decode. */
static long go_b32_decode(const char *s0, size_t n0, struct buf *out)
{
	char *s = malloc(n0 + 1);
	size_t olen = 0;
	long bad = -1;
	if (!s)
		abort();
	for (size_t i = 0; i < n0; i++)
		if (s0[i] != '\r' && s0[i] != '\n')
			s[olen++] = s0[i];
	size_t pos = 0;
	int end = 0;
	while (pos < olen && !end) {
		int d[8] = {0};
		int dlen = 8;
		for (int j = 0; j < 8;) {
			if (pos == olen) {
				bad = (long)(pos - (size_t)j);
				goto done;
			}
			unsigned char c = (unsigned char)s[pos++];
			size_t rest = olen - pos;
			if (c == '=' && j >= 2 && rest < 8) {
				if (rest + (size_t)j < 7) {
					bad = (long)olen;
					goto done;
				}
				for (int k = 0; k < 7 - j; k++) {
					if (rest > (size_t)k && s[pos + (size_t)k] != '=') {
						bad = (long)(pos + (size_t)k - 1);
						goto done;
					}
				}
				dlen = j;
				end = 1;
				if (dlen == 1 || dlen == 3 || dlen == 6) {
					bad = (long)(pos - 1);
					goto done;
				}
				break;
			}
			int v = b32val(c);
			if (v < 0) {
				bad = (long)(pos - 1);
				goto done;
			}
			d[j++] = v;
		}
		unsigned char o[5] = {
			(unsigned char)(d[0] << 3 | d[1] >> 2),
			(unsigned char)(d[1] << 6 | d[2] << 1 | d[3] >> 4),
			(unsigned char)(d[3] << 4 | d[4] >> 1),
			(unsigned char)(d[4] << 7 | d[5] << 2 | d[6] >> 3),
			(unsigned char)(d[6] << 5 | d[7]),
		};
		static const int bytes_for[9] = {0, 0, 1, 0, 2, 3, 0, 4, 5};
		buf_add(out, o, (size_t)bytes_for[dlen]);
	}
done:
	free(s);
	return bad;
}

static int f_b32dec(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf b = BUF_INIT;
	long bad = go_b32_decode(args[0]->u.s.ptr, args[0]->u.s.len, &b);
	if (bad >= 0) {
		buf_reset(&b);
		buf_addf(&b, "illegal base32 data at input byte %ld", bad);
	}
	return buf_result(x, &b, out);
}

/* ---- digests ---------------------------------------------------------------------- */

static int hex_result(struct texec *x, const unsigned char *d, size_t dl, struct tv **out)
{
	static const char hex[] = "0123456789abcdef";
	char h[2 * EVP_MAX_MD_SIZE];
	for (size_t i = 0; i < dl; i++) {
		h[2 * i] = hex[d[i] >> 4];
		h[2 * i + 1] = hex[d[i] & 15];
	}
	return str_result(x, h, 2 * dl, out);
}

static int digest_hex(struct texec *x, const EVP_MD *md, const struct tv *in, struct tv **out)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dl = 0;
	if (!EVP_Digest(in->u.s.ptr, in->u.s.len, d, &dl, md, NULL))
		return texec_fail(x, "digest failed");
	return hex_result(x, d, dl, out);
}

static int f_sha1sum(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return digest_hex(x, EVP_sha1(), args[0], out);
}

static int f_sha256sum(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	/* the project's own SHA-256: the checksum annotations of most charts then do not
	 * load libcrypto into `tide helm template` */
	unsigned char d[32];
	sha256(args[0]->u.s.ptr, args[0]->u.s.len, d);
	return hex_result(x, d, sizeof(d), out);
}

static int f_sha512sum(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return digest_hex(x, EVP_sha512(), args[0], out);
}

static int f_adler32sum(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const unsigned char *p = (const unsigned char *)args[0]->u.s.ptr;
	uint32_t a = 1, b = 0;
	for (size_t i = 0; i < args[0]->u.s.len; i++) {
		a = (a + p[i]) % 65521;
		b = (b + a) % 65521;
	}
	char s[16];
	int n = snprintf(s, sizeof(s), "%u", (unsigned)(b << 16 | a));
	return str_result(x, s, (size_t)n, out);
}

/* ---- randomness ------------------------------------------------------------------- */

static void random_fill(void *p, size_t n)
{
	/* RAND_bytes fails only when the system has no entropy source at all; there is no
	 * meaningful fallback for a generator of secrets. */
	if (n && RAND_bytes(p, (int)n) != 1)
		abort();
}

/* A uniform pick in [0, n) (n <= 256), by rejection so no character is favoured. */
static unsigned random_below(unsigned n, unsigned char *pool, size_t *left)
{
	unsigned limit = 256 - 256 % n;
	for (;;) {
		if (*left == 0) {
			random_fill(pool, 256);
			*left = 256;
		}
		unsigned v = pool[--*left];
		if (v < limit)
			return v % n;
	}
}

static int random_from(struct texec *x, const char *name, const char *alphabet,
		       const struct tv *count, struct tv **out)
{
	int64_t n = count->u.i;
	if (n <= 0) /* goutils errors for a negative count; sprig drops the error */
		return str_result(x, "", 0, out);
	if (n > TFUNC_RAND_MAX)
		return texec_failc(x, ERR_TOOBIG, "%s: %lld characters asked for, more than %lld",
				   name, (long long)n, (long long)TFUNC_RAND_MAX);
	size_t alen = strlen(alphabet);
	char *s = arena_alloc(texec_arena(x), (size_t)n + 1);
	unsigned char pool[256];
	size_t left = 0;
	for (int64_t i = 0; i < n; i++)
		s[i] = alphabet[random_below((unsigned)alen, pool, &left)];
	*out = tv_str_borrow(texec_arena(x), s, (size_t)n);
	return 0;
}

static const char alpha_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
static const char digit_chars[] = "0123456789";
static const char alnum_chars[] =
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/* goutils' CryptoRandomAscii: code points 32 to 126. */
static const char ascii_chars[] =
	" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
	"abcdefghijklmnopqrstuvwxyz{|}~";

static int f_randAlphaNum(struct texec *x, struct tv *const *args, size_t nargs,
			  struct tv **out)
{
	(void)nargs;
	return random_from(x, "randAlphaNum", alnum_chars, args[0], out);
}

static int f_randAlpha(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return random_from(x, "randAlpha", alpha_chars, args[0], out);
}

static int f_randNumeric(struct texec *x, struct tv *const *args, size_t nargs,
			 struct tv **out)
{
	(void)nargs;
	return random_from(x, "randNumeric", digit_chars, args[0], out);
}

static int f_randAscii(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return random_from(x, "randAscii", ascii_chars, args[0], out);
}

static int f_randBytes(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	int64_t n = args[0]->u.i;
	if (n < 0) /* Go's make([]byte, n) panics; text/template reports the panic */
		return texec_fail(x, "runtime error: makeslice: len out of range");
	if (n > TFUNC_RAND_MAX)
		return texec_failc(x, ERR_TOOBIG, "randBytes: %lld bytes asked for, more than %lld",
				   (long long)n, (long long)TFUNC_RAND_MAX);
	unsigned char *p = malloc((size_t)n + 1);
	if (!p)
		abort();
	random_fill(p, (size_t)n);
	struct buf b = BUF_INIT;
	base64_encode(&b, p, (size_t)n);
	free(p);
	return buf_result(x, &b, out);
}

static int f_uuidv4(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)args;
	(void)nargs;
	unsigned char u[16];
	random_fill(u, sizeof(u));
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40); /* version 4 */
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	char s[37];
	static const char hex[] = "0123456789abcdef";
	size_t k = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			s[k++] = '-';
		s[k++] = hex[u[i] >> 4];
		s[k++] = hex[u[i] & 15];
	}
	return str_result(x, s, k, out);
}

/* sprig resolves the name and picks one address at random. tide's templates must never
 * reach the network (a tenant's chart could probe the controller's network or leak data
 * through DNS), so the lookup is disabled and gives "", as if nothing resolved. */
static int f_getHostByName(struct texec *x, struct tv *const *args, size_t nargs,
			   struct tv **out)
{
	(void)args;
	(void)nargs;
	return str_result(x, "", 0, out);
}

/* ---- JSON -------------------------------------------------------------------------- */

/* Go's json quoteChar: a byte as the scanner's messages show it. */
static void quote_char(struct buf *b, unsigned char c)
{
	static const char short_esc[] = "\a\b\f\n\r\t\v";
	static const char short_name[] = "abfnrtv";
	const char *e;
	if (c == '\'') {
		buf_adds(b, "'\\''");
	} else if (c == '"') {
		buf_adds(b, "'\"'");
	} else if (c == '\\') {
		buf_adds(b, "'\\\\'");
	} else if (c && (e = strchr(short_esc, c))) {
		buf_addf(b, "'\\%c'", short_name[e - short_esc]);
	} else if (c < 0x20 || c == 0x7f) {
		buf_addf(b, "'\\x%02x'", c);
	} else if (c < 0x7f) {
		buf_addf(b, "'%c'", c);
	} else if (c <= 0xa0 || c == 0xad) { /* string(byte) is the rune U+00xx */
		buf_addf(b, "'\\u%04x'", c);
	} else {
		buf_addf(b, "'%c%c'", (char)(0xc0 | c >> 6), (char)(0x80 | (c & 0x3f)));
	}
}

#define JSON_MAX_DEPTH 10000 /* encoding/json's maxNestingDepth */

/*
 * encoding/json's checkValid: 0 when s[0..n) is one JSON value, else -1 with the scanner's
 * message in err ("invalid character 'b' looking for beginning of object key string",
 * "unexpected end of JSON input"), so that mustFromJson fails with Go's words.
 */
static int json_check(const char *s, size_t n, struct buf *err)
{
	enum { V_BEGIN, V_BEGIN_OR_EMPTY, K_BEGIN, K_BEGIN_OR_EMPTY, END_VALUE, END_TOP,
	       STR, STR_ESC, STR_U, NEG, NUM1, NUM0, DOT, DOT0, EXP, EXP_SIGN, EXP0, LIT };
	char *stack = malloc(JSON_MAX_DEPTH + 1); /* 'k' object key, 'v' object value, 'a' array */
	size_t depth = 0;
	int st = V_BEGIN, hex = 0;
	const char *lit = NULL, *lit_name = NULL; /* rest of true/false/null */
	const char *ctx = NULL;
	if (!stack)
		abort();
	for (size_t i = 0; i <= n; i++) {
		/* at the end, Go's eof() steps one space through the machine */
		unsigned char c = i < n ? (unsigned char)s[i] : ' ';
		int sp = c == ' ' || c == '\t' || c == '\r' || c == '\n';
	again:
		switch (st) {
		case V_BEGIN_OR_EMPTY:
			if (sp)
				continue;
			if (c == ']') {
				st = END_VALUE;
				goto again;
			}
			/* fallthrough */
		case V_BEGIN:
			if (sp)
				continue;
			if (c == '{' || c == '[') {
				if (depth >= JSON_MAX_DEPTH) {
					ctx = "exceeded max depth";
					goto bad;
				}
				stack[depth++] = c == '{' ? 'k' : 'a';
				st = c == '{' ? K_BEGIN_OR_EMPTY : V_BEGIN_OR_EMPTY;
			} else if (c == '"') {
				st = STR;
			} else if (c == '-') {
				st = NEG;
			} else if (c == '0') {
				st = NUM0;
			} else if (c >= '1' && c <= '9') {
				st = NUM1;
			} else if (c == 't' || c == 'f' || c == 'n') {
				lit = c == 't' ? "rue" : c == 'f' ? "alse" : "ull";
				lit_name = c == 't' ? "true" : c == 'f' ? "false" : "null";
				st = LIT;
			} else {
				ctx = "looking for beginning of value";
				goto bad;
			}
			continue;
		case K_BEGIN_OR_EMPTY:
			if (sp)
				continue;
			if (c == '}') {
				stack[depth - 1] = 'v';
				st = END_VALUE;
				goto again;
			}
			/* fallthrough */
		case K_BEGIN:
			if (sp)
				continue;
			if (c != '"') {
				ctx = "looking for beginning of object key string";
				goto bad;
			}
			st = STR;
			continue;
		case END_VALUE:
			if (depth == 0) {
				st = END_TOP;
				goto again;
			}
			if (sp)
				continue;
			if (stack[depth - 1] == 'k') {
				if (c != ':') {
					ctx = "after object key";
					goto bad;
				}
				stack[depth - 1] = 'v';
				st = V_BEGIN;
			} else if (stack[depth - 1] == 'v') {
				if (c == ',') {
					stack[depth - 1] = 'k';
					st = K_BEGIN;
				} else if (c == '}') {
					depth--;
					st = depth ? END_VALUE : END_TOP;
				} else {
					ctx = "after object key:value pair";
					goto bad;
				}
			} else {
				if (c == ',') {
					st = V_BEGIN;
				} else if (c == ']') {
					depth--;
					st = depth ? END_VALUE : END_TOP;
				} else {
					ctx = "after array element";
					goto bad;
				}
			}
			continue;
		case END_TOP:
			if (!sp) {
				ctx = "after top-level value";
				goto bad;
			}
			continue;
		case STR:
			if (c == '"')
				st = END_VALUE;
			else if (c == '\\')
				st = STR_ESC;
			else if (c < 0x20) {
				ctx = "in string literal";
				goto bad;
			}
			continue;
		case STR_ESC:
			if (c == 'u') {
				st = STR_U;
				hex = 0;
			} else if (strchr("bfnrt\\/\"", c) && c) {
				st = STR;
			} else {
				ctx = "in string escape code";
				goto bad;
			}
			continue;
		case STR_U:
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
				ctx = "in \\u hexadecimal character escape";
				goto bad;
			}
			if (++hex == 4)
				st = STR;
			continue;
		case NEG:
			if (c == '0')
				st = NUM0;
			else if (c >= '1' && c <= '9')
				st = NUM1;
			else {
				ctx = "in numeric literal";
				goto bad;
			}
			continue;
		case NUM1:
			if (c >= '0' && c <= '9')
				continue;
			/* fallthrough */
		case NUM0:
			if (c == '.')
				st = DOT;
			else if (c == 'e' || c == 'E')
				st = EXP;
			else {
				st = END_VALUE;
				goto again;
			}
			continue;
		case DOT:
			if (!(c >= '0' && c <= '9')) {
				ctx = "after decimal point in numeric literal";
				goto bad;
			}
			st = DOT0;
			continue;
		case DOT0:
			if (c >= '0' && c <= '9')
				continue;
			if (c == 'e' || c == 'E') {
				st = EXP;
				continue;
			}
			st = END_VALUE;
			goto again;
		case EXP:
			if (c == '+' || c == '-') {
				st = EXP_SIGN;
				continue;
			}
			/* fallthrough */
		case EXP_SIGN:
			if (!(c >= '0' && c <= '9')) {
				ctx = "in exponent of numeric literal";
				goto bad;
			}
			st = EXP0;
			continue;
		case EXP0:
			if (c >= '0' && c <= '9')
				continue;
			st = END_VALUE;
			goto again;
		case LIT:
			if (c != (unsigned char)*lit) {
				buf_adds(err, "invalid character ");
				quote_char(err, c);
				buf_addf(err, " in literal %s (expecting '%c')", lit_name, *lit);
				goto fail;
			}
			if (!*++lit)
				st = END_VALUE;
			continue;
		}
		continue;
	bad:
		/* at the end, the error is the fed space's, as Go's eof() keeps it */
		buf_adds(err, "invalid character ");
		quote_char(err, c);
		buf_addf(err, " %s", ctx);
		goto fail;
	}
	if (st == END_TOP || (st == END_VALUE && depth == 0)) {
		free(stack);
		return 0;
	}
	buf_adds(err, "unexpected end of JSON input");
fail:
	free(stack);
	return -1;
}

static int hex4(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

static void add_rune(struct buf *b, uint32_t r)
{
	char u[4];
	size_t l = utf8_encode(r, u);
	if (!l)
		l = utf8_encode(0xfffd, u);
	buf_add(b, u, l);
}

/* The string literal at *p (which json_check accepted) into out, as Go's unquote reads
 * it: a \u surrogate that is not half of a pair, and each byte of invalid UTF-8, become
 * U+FFFD. Leaves *p after the closing quote. */
static void json_string(const char **pp, struct buf *out)
{
	const char *p = *pp + 1;
	buf_reset(out);
	for (;;) {
		unsigned char c = (unsigned char)*p;
		if (c == '"') {
			p++;
			break;
		}
		if (c == '\\') {
			char e = p[1];
			uint32_t u, lo;
			if (e != 'u') {
				static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
				buf_addch(out, to[strchr(from, e) - from]);
				p += 2;
				continue;
			}
			hex4(p + 2, &u);
			p += 6;
			if (u >= 0xd800 && u <= 0xdfff) {
				if (u < 0xdc00 && p[0] == '\\' && p[1] == 'u' && hex4(p + 2, &lo) == 0 &&
				    lo >= 0xdc00 && lo <= 0xdfff) {
					u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
					p += 6;
				} else {
					u = 0xfffd;
				}
			}
			add_rune(out, u);
			continue;
		}
		if (c < 0x80) {
			buf_addch(out, (char)c);
			p++;
			continue;
		}
		size_t l = utf8_valid_prefix(p, strlen(p));
		if (l) {
			buf_add(out, p, l);
			p += l;
		} else {
			add_rune(out, 0xfffd);
			p++;
		}
	}
	*pp = p;
}

/*
 * json.Unmarshal into an interface{} of text that json_check accepted: maps (a repeated
 * key: the last wins), []interface{}, float64, string, bool, nil. Iterative, since Go
 * allows 10,000 levels. 0, or -1 with *bad_number set for a number float64 cannot hold.
 */
static int json_decode(struct arena *a, const char *s, struct tv **out, const char **bad_number)
{
	struct frame {
		struct tv *c;
		char *key; /* the pending key of a map, or NULL */
		size_t keylen;
	};
	struct frame *st = malloc((JSON_MAX_DEPTH + 1) * sizeof(*st));
	size_t depth = 0;
	struct buf str = BUF_INIT;
	const char *p = s;
	int rc = 0;
	if (!st)
		abort();
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		struct tv *v;
		char c = *p;
		if (c == ',') {
			p++;
			continue;
		}
		if (c == '}' || c == ']') {
			p++;
			v = st[--depth].c;
		} else if (depth && st[depth - 1].c->kind == TV_MAP && !st[depth - 1].key) {
			json_string(&p, &str);
			st[depth - 1].key = arena_strndup(a, str.ptr, str.len);
			st[depth - 1].keylen = str.len;
			while (*p != ':')
				p++;
			p++;
			continue;
		} else if (c == '{' || c == '[') {
			p++;
			st[depth++] = (struct frame){c == '{' ? tv_map_new(a) : tv_list(a, 0), NULL, 0};
			continue;
		} else if (c == '"') {
			json_string(&p, &str);
			v = tv_strn(a, str.ptr, str.len);
		} else if (c == 't' || c == 'f') {
			v = tv_bool(c == 't');
			p += c == 't' ? 4 : 5;
		} else if (c == 'n') {
			v = &tv_nil_value;
			p += 4;
		} else {
			char *end;
			double d = strtod(p, &end);
			if (isinf(d)) {
				*bad_number = arena_strndup(a, p, (size_t)(end - p));
				rc = -1;
				break;
			}
			v = tv_float(a, d);
			p = end;
		}
		if (!depth) {
			*out = v;
			break;
		}
		struct frame *f = &st[depth - 1];
		if (f->c->kind == TV_LIST) {
			tv_list_push(a, f->c, v);
		} else {
			tv_map_setn(a, f->c, f->key, f->keylen, v);
			f->key = NULL;
		}
	}
	buf_release(&str);
	free(st);
	return rc;
}

/* json.Unmarshal into an interface{}; fromJson gives nil where Go's errors. */
static int from_json(struct texec *x, const struct tv *in, bool must, struct tv **out)
{
	struct buf err = BUF_INIT;
	const char *big = NULL;
	int rc = 0;
	*out = &tv_nil_value;
	if (json_check(in->u.s.ptr, in->u.s.len, &err) != 0) {
		if (must)
			rc = texec_fail(x, "%s", err.ptr);
	} else if (json_decode(texec_arena(x), in->u.s.ptr, out, &big) != 0) {
		/* NEEDSWORK: Go's fromJson keeps the rest of the value; here it is nil */
		*out = &tv_nil_value;
		if (must)
			rc = texec_fail(x, "json: cannot unmarshal number %s into Go value of type "
					   "float64", big);
	}
	buf_release(&err);
	return rc;
}

static int f_fromJson(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return from_json(x, args[0], false, out);
}

static int f_mustFromJson(struct texec *x, struct tv *const *args, size_t nargs,
			  struct tv **out)
{
	(void)nargs;
	return from_json(x, args[0], true, out);
}

enum { JSON_MUST = 1, JSON_PRETTY = 2, JSON_RAW = 4 };
#define JSON_OUT_MAX (64 << 20) /* the engine's default output cap */

/*
 * json.Marshal (or MarshalIndent with two spaces, or an Encoder without HTML escaping) of
 * v. doc_emit_json quotes plainly; Go's encoder also writes U+2028 and U+2029 as escapes
 * and, unless raw, '<', '>' and '&' too: those bytes occur only inside strings in JSON
 * text, so they are rewritten here.
 */
static int to_json(struct texec *x, const struct tv *v, unsigned flags, struct tv **out)
{
	struct doc_node *n;
	int rc = tv_to_doc(x, texec_arena(x), v, &n);
	if (rc) {
		if (flags & (JSON_MUST | JSON_RAW)) /* toRawJson panics with the error */
			return texec_failc(x, rc, "%s", err_msg());
		*out = tv_str(texec_arena(x), "");
		return 0;
	}
	/* capped: pretty JSON of deep nesting grows with the square of the depth */
	struct buf j, b;
	buf_init(&j, JSON_OUT_MAX);
	buf_init(&b, JSON_OUT_MAX);
	doc_emit_json(&j, n, (flags & JSON_PRETTY) ? 2 : 0);
	for (size_t i = 0; i < j.len; i++) {
		unsigned char c = (unsigned char)j.ptr[i];
		if (!(flags & JSON_RAW) && (c == '<' || c == '>' || c == '&')) {
			buf_addf(&b, "\\u00%02x", c);
		} else if (c == 0xe2 && i + 2 < j.len && (unsigned char)j.ptr[i + 1] == 0x80 &&
			   ((unsigned char)j.ptr[i + 2] == 0xa8 || (unsigned char)j.ptr[i + 2] == 0xa9)) {
			buf_addf(&b, "\\u202%c", (unsigned char)j.ptr[i + 2] == 0xa8 ? '8' : '9');
			i += 2;
		} else {
			buf_addch(&b, (char)c);
		}
	}
	int too_big = j.err || b.err;
	buf_release(&j);
	if (too_big) {
		buf_release(&b);
		return texec_failc(x, ERR_TOOBIG, "JSON of more than %d MiB", JSON_OUT_MAX >> 20);
	}
	*out = tv_strn(texec_arena(x), b.ptr, b.len);
	buf_release(&b);
	return 0;
}

static int f_toJson(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return to_json(x, args[0], 0, out);
}

static int f_mustToJson(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return to_json(x, args[0], JSON_MUST, out);
}

static int f_toPrettyJson(struct texec *x, struct tv *const *args, size_t nargs,
			  struct tv **out)
{
	(void)nargs;
	return to_json(x, args[0], JSON_PRETTY, out);
}

static int f_mustToPrettyJson(struct texec *x, struct tv *const *args, size_t nargs,
			      struct tv **out)
{
	(void)nargs;
	return to_json(x, args[0], JSON_PRETTY | JSON_MUST, out);
}

static int f_toRawJson(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return to_json(x, args[0], JSON_RAW, out);
}

static int f_mustToRawJson(struct texec *x, struct tv *const *args, size_t nargs,
			   struct tv **out)
{
	(void)nargs;
	return to_json(x, args[0], JSON_RAW | JSON_MUST, out);
}

static const struct tfunc funcs[] = {
	/* sprig's JSON family (defaults.go); Helm replaces toJson, mustToJson and fromJson
	 * with its own, registered after sprig's */
	{"fromJson", f_fromJson, "s", "a"},
	{"mustFromJson", f_mustFromJson, "s", "ae"},
	{"toJson", f_toJson, "a", "s"},
	{"mustToJson", f_mustToJson, "a", "se"},
	{"toPrettyJson", f_toPrettyJson, "a", "s"},
	{"mustToPrettyJson", f_mustToPrettyJson, "a", "se"},
	{"toRawJson", f_toRawJson, "a", "s"},
	{"mustToRawJson", f_mustToRawJson, "a", "se"},
	{"b64enc", f_b64enc, "s", "s"},
	{"b64dec", f_b64dec, "s", "s"},
	{"b32enc", f_b32enc, "s", "s"},
	{"b32dec", f_b32dec, "s", "s"},
	{"sha1sum", f_sha1sum, "s", "s"},
	{"sha256sum", f_sha256sum, "s", "s"},
	{"sha512sum", f_sha512sum, "s", "s"},
	{"adler32sum", f_adler32sum, "s", "s"},
	{"randAlphaNum", f_randAlphaNum, "i", "s"},
	{"randAlpha", f_randAlpha, "i", "s"},
	{"randAscii", f_randAscii, "i", "s"},
	{"randNumeric", f_randNumeric, "i", "s"},
	{"randBytes", f_randBytes, "i", "se"},
	{"uuidv4", f_uuidv4, "", "s"},
	{"getHostByName", f_getHostByName, "s", "s"},
};

const struct tfunc_table tfuncs_sprig_encoding = {funcs, sizeof(funcs) / sizeof(funcs[0])};
