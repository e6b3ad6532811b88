/*
 * JSON reader (RFC 8259) written for exactness: numbers are kept as the text they were
 * written with, so big integers and decimals survive a JSON -> YAML -> JSON trip; strings
 * are checked to be valid UTF-8 and \u escapes (with surrogate pairs) decoded. Depth, size
 * and node count are capped like the YAML reader's.
 */
#include <string.h>

#include "doc/doc.h"
#include "doc/intern.h"
#include "doc/limits.h"
#include "doc/scalar.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/utf8.h"
#include "util/banned.h"

struct jreader {
	const char *p, *end, *start;
	struct arena *a;
	const char *name;
	struct doc_limits lim;
	size_t depth, nodes;
	struct buf scratch;
};

static size_t line_at(const struct jreader *r, const char *at)
{
	size_t line = 1;
	for (const char *q = r->start; q < at && q < r->end; q++)
		line += *q == '\n';
	return line;
}

static int jfail(struct jreader *r, const char *at, const char *what)
{
	return err_set(ERR_INVALID, "'%s': line %zu: %s", r->name, line_at(r, at), what);
}

static void skip_ws(struct jreader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int hex4(const char *s, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
		else return -1;
	}
	*out = v;
	return 0;
}

/* Reads a string at r->p (the opening quote) into r->scratch. */
static int read_string(struct jreader *r)
{
	const char *at = r->p++;
	buf_reset(&r->scratch);
	for (;;) {
		const char *run = r->p;
		while (r->p < r->end && *r->p != '"' && *r->p != '\\' && (unsigned char)*r->p >= 0x20 &&
		       (unsigned char)*r->p < 0x80)
			r->p++;
		buf_add(&r->scratch, run, (size_t)(r->p - run));
		if (r->p >= r->end)
			return jfail(r, at, "unterminated string");
		unsigned char c = (unsigned char)*r->p;
		if (c == '"') {
			r->p++;
			return 0;
		}
		if (c < 0x20)
			return jfail(r, r->p, "control character in string");
		if (c >= 0x80) {
			size_t n = utf8_valid_prefix(r->p, (size_t)(r->end - r->p));
			if (!n)
				return jfail(r, r->p, "invalid UTF-8 in string");
			buf_add(&r->scratch, r->p, n);
			r->p += n;
			continue;
		}
		/* backslash */
		if (r->end - r->p < 2)
			return jfail(r, at, "unterminated string");
		char e = r->p[1];
		r->p += 2;
		switch (e) {
		case '"': buf_addch(&r->scratch, '"'); break;
		case '\\': buf_addch(&r->scratch, '\\'); break;
		case '/': buf_addch(&r->scratch, '/'); break;
		case 'b': buf_addch(&r->scratch, '\b'); break;
		case 'f': buf_addch(&r->scratch, '\f'); break;
		case 'n': buf_addch(&r->scratch, '\n'); break;
		case 'r': buf_addch(&r->scratch, '\r'); break;
		case 't': buf_addch(&r->scratch, '\t'); break;
		case 'u': {
			unsigned cp;
			if (r->end - r->p < 4 || hex4(r->p, &cp))
				return jfail(r, r->p, "bad \\u escape");
			r->p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				unsigned lo;
				if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' || hex4(r->p + 2, &lo) ||
				    lo < 0xdc00 || lo > 0xdfff)
					return jfail(r, r->p, "unpaired surrogate in \\u escape");
				r->p += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				return jfail(r, r->p, "unpaired surrogate in \\u escape");
			}
			char u[4];
			buf_add(&r->scratch, u, utf8_encode(cp, u));
			break;
		}
		default:
			return jfail(r, r->p - 2, "bad escape in string");
		}
	}
}

/* Skips the ASCII digits at r->p; whether there was one at least. */
static bool skip_digits(struct jreader *r)
{
	const char *d = r->p;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
		r->p++;
	return r->p != d;
}

static int read_number(struct jreader *r, struct doc_node **out)
{
	const char *s = r->p;
	bool is_float = false;
	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p >= r->end)
		return jfail(r, s, "bad number");
	if (*r->p == '0') {
		r->p++;
	} else if (*r->p >= '1' && *r->p <= '9') {
		skip_digits(r);
	} else {
		return jfail(r, s, "bad number");
	}
	if (r->p < r->end && *r->p == '.') {
		is_float = true;
		r->p++;
		if (!skip_digits(r))
			return jfail(r, s, "bad number");
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		is_float = true;
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (!skip_digits(r))
			return jfail(r, s, "bad number");
	}
	struct doc_node *n = doc_new(r->a, is_float ? DOC_FLOAT : DOC_INT);
	n->u.str.ptr = doc_strndup(r->a, s, (size_t)(r->p - s));
	n->u.str.len = (size_t)(r->p - s);
	*out = n;
	return 0;
}

static bool literal(struct jreader *r, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(r->end - r->p) >= n && !memcmp(r->p, word, n)) {
		r->p += n;
		return true;
	}
	return false;
}

static int read_value(struct jreader *r, struct doc_node **out)
{
	skip_ws(r);
	if (r->p >= r->end)
		return jfail(r, r->p, "unexpected end of input");
	if (++r->nodes > r->lim.max_nodes)
		return err_set(ERR_TOOBIG, "'%s': line %zu: too many nodes", r->name, line_at(r, r->p));
	const char *at = r->p;
	uint32_t line = 0;
	int rc;
	switch (*r->p) {
	case '{':
	case '[': {
		bool is_map = *r->p == '{';
		if (++r->depth > r->lim.max_depth)
			return err_set(ERR_TOOBIG, "'%s': line %zu: nesting deeper than %zu", r->name, line_at(r, at), r->lim.max_depth);
		r->p++;
		struct doc_node *n = doc_new(r->a, is_map ? DOC_MAP : DOC_SEQ);
		skip_ws(r);
		if (r->p < r->end && *r->p == (is_map ? '}' : ']')) {
			r->p++;
		} else {
			for (;;) {
				skip_ws(r);
				if (is_map) {
					if (r->p >= r->end || *r->p != '"')
						return jfail(r, r->p, "expected a string key");
					if ((rc = read_string(r)))
						return rc;
					size_t klen = r->scratch.len;
					const char *key = doc_strndup(r->a, r->scratch.ptr, klen);
					skip_ws(r);
					if (r->p >= r->end || *r->p != ':')
						return jfail(r, r->p, "expected ':' after a key");
					r->p++;
					struct doc_node *v;
					if ((rc = read_value(r, &v)))
						return rc;
					if (doc_map_get_n(n, key, klen))
						return err_set(ERR_INVALID, "'%s': line %zu: duplicate key \"%s\"", r->name, line_at(r, r->p), key);
					doc_map_push_owned(r->a, n, key, klen, v);
				} else {
					struct doc_node *v;
					if ((rc = read_value(r, &v)))
						return rc;
					doc_seq_push(r->a, n, v);
				}
				skip_ws(r);
				if (r->p < r->end && *r->p == ',') {
					r->p++;
					continue;
				}
				if (r->p < r->end && *r->p == (is_map ? '}' : ']')) {
					r->p++;
					break;
				}
				return jfail(r, r->p, is_map ? "expected ',' or '}'" : "expected ',' or ']'");
			}
		}
		r->depth--;
		*out = n;
		return 0;
	}
	case '"': {
		if ((rc = read_string(r)))
			return rc;
		*out = doc_new_strn(r->a, r->scratch.ptr, r->scratch.len);
		return 0;
	}
	case 't':
		if (literal(r, "true")) { *out = doc_new_bool(r->a, true); return 0; }
		break;
	case 'f':
		if (literal(r, "false")) { *out = doc_new_bool(r->a, false); return 0; }
		break;
	case 'n':
		if (literal(r, "null")) { *out = doc_new_null(r->a); return 0; }
		break;
	default:
		if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
			return read_number(r, out);
	}
	(void)line;
	return jfail(r, at, "invalid character at start of value");
}

int doc_parse_json(struct arena *a, const char *name, const char *data, size_t len,
		   const struct doc_limits *limits, struct doc_node **out)
{
	*out = NULL;
	struct jreader r = { data, data + len, data, a, name ? name : "<input>", { 0 }, 0, 0, BUF_INIT };
	doc_limits_fill(&r.lim, limits);
	if (len > r.lim.max_bytes)
		return err_set(ERR_TOOBIG, "'%s': larger than %zu bytes", r.name, r.lim.max_bytes);
	struct doc_node *n;
	int rc = read_value(&r, &n);
	if (!rc) {
		skip_ws(&r);
		if (r.p != r.end)
			rc = jfail(&r, r.p, "unexpected data after the JSON value");
	}
	buf_release(&r.scratch);
	if (!rc)
		*out = n;
	return rc;
}

int doc_parse_any(struct arena *a, const char *name, const char *data, size_t len,
		  const struct doc_limits *limits, struct doc_stream *out)
{
	size_t i = 0;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
		i++;
	if (i < len && (data[i] == '{' || data[i] == '[')) {
		struct doc_node *n;
		memset(out, 0, sizeof(*out));
		int rc = doc_parse_json(a, name, data, len, limits, &n);
		if (rc == 0) {
			out->docs = arena_alloc(a, sizeof(struct doc_node *));
			out->docs[0] = n;
			out->len = out->cap = 1;
			return 0;
		}
		/* Flow-style YAML also starts with a bracket: let the YAML reader decide. */
	}
	return doc_parse_yaml(a, name, data, len, limits, out);
}
