/*
 * Peeking at a YAML document: a few string fields read straight from the text, without
 * libyaml and without a tree, for the documents generators write (Helm's rendered
 * manifests are megabytes of them, and sorting them needs only kind, name and two
 * annotations). The reader knows the block style only: mappings and sequences by
 * indentation, plain and quoted scalars, literal and folded block scalars, comments, the
 * empty flow collections `[]` and `{}`. Whatever else it meets (anchors, tags, flow
 * collections, tabs where YAML is picky about them, non-ASCII, odd indentation, a
 * requested field that is not a plain string) it gives up and the caller parses the
 * document; it never guesses. When it answers, the document is valid YAML with a mapping
 * at its root and the fields are what doc_parse_yaml (with duplicate_keys_last_wins) reads:
 * tests/fuzz/fuzz_yaml_peek.c checks exactly that on arbitrary input.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "doc/doc.h"
#include "util/arena.h"
#include "util/banned.h"

#define PEEK_MAX_DEPTH 64
#define PEEK_MAX_KEY 1000	  /* libyaml refuses implicit keys over 1,024 characters */
#define PEEK_MAX_NODES 1000000 /* well under doc_limits' node cap: let the parser judge */
#define PEEK_MAX_PATH 4

struct level {
	int indent;
	bool seq;
	bool compact; /* a sequence at its parent mapping's indentation ("- " under the key) */
	int depth;    /* keys from the root when on a requested path, else -1 */
};

struct peek {
	struct arena *a;
	const char *p, *end; /* the next line starts at p */
	const char *line, *eol;
	int indent;	     /* of the current line */
	/* the line last read, for when the reader looks one line ahead and steps back */
	const char *cached_at, *cached_next;
	struct level st[PEEK_MAX_DEPTH];
	int top;
	size_t nodes;
	const char *chain[PEEK_MAX_PATH]; /* the keys leading to the tracked mapping levels */
	size_t chain_len[PEEK_MAX_PATH];
	struct doc_peek_field *f;
	size_t nf;
};

/* A value read on a key's or item's line. */
/* V_EMPTY_MAP: "{}", which on a requested path means its fields are absent, as a null does */
enum value_kind { V_FAIL, V_PENDING, V_SCALAR, V_STRING, V_EMPTY_MAP };

struct value {
	enum value_kind kind;
	const char *s; /* V_STRING: the text, length n, quotes removed ('' still doubled) */
	size_t n;
	bool quoted, single_quoted;
};

/* The plain-key alphabet: letters, digits and _ . / - $ + ~ = @ */
static const unsigned char key_chars[256] = {
	['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['0' ... '9'] = 1, ['_'] = 1, ['.'] = 1, ['/'] = 1,
	['-'] = 1, ['$'] = 1, ['+'] = 1, ['~'] = 1, ['='] = 1, ['@'] = 1,
};

static bool is_key_char(char c)
{
	return key_chars[(unsigned char)c];
}

static bool is_key_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '/' || c == '$';
}

/* Loads the next line into line/eol; false at the end. A line with a byte the reader does
 * not vouch for (controls, DEL, non-ASCII, CR) stops the peek through *bad. Tabs are kept:
 * where they may stand is the caller's business. */
static bool next_line(struct peek *k, bool *bad)
{
	if (k->p >= k->end)
		return false;
	if (k->p == k->cached_at && k->line == k->cached_at) {
		k->p = k->cached_next;
		return true;
	}
	const char *s = k->p, *q = s, *e = k->end;
	/* Eight bytes at a time while none is a control byte (newline and tab included), DEL
	 * or non-ASCII; then byte by byte. */
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	for (;;) {
		while (e - q >= 8) {
			uint64_t w;
			memcpy(&w, q, 8);
			uint64_t special = (w - 0x20 * ones) | w | ((w ^ 0x7f * ones) - ones);
			if (special & highs)
				break;
			q += 8;
		}
		if (q == e || *q == '\n')
			break;
		unsigned char c = (unsigned char)*q;
		if ((c < 0x20 && c != '\t') || c >= 0x7f) {
			*bad = true;
			return false;
		}
		q++;
	}
	k->line = s;
	k->eol = q;
	k->p = q < e ? q + 1 : q;
	const char *t = s;
	while (q - t >= 8 && !memcmp(t, "        ", 8))
		t += 8;
	while (t < q && *t == ' ')
		t++;
	k->indent = (int)(t - s);
	k->cached_at = s;
	k->cached_next = k->p;
	return true;
}

/* Blank: spaces only. A comment line: spaces, then '#'. Both are skipped between nodes. */
static bool is_blank(const struct peek *k)
{
	return k->line + k->indent == k->eol;
}

static bool is_comment(const struct peek *k)
{
	return k->line + k->indent < k->eol && k->line[k->indent] == '#';
}

/* The rest of a line after a node: spaces, then nothing or a comment. */
static bool rest_is_empty(const char *s, const char *e)
{
	if (s < e && *s != ' ')
		return false;
	while (s < e && *s == ' ')
		s++;
	return s == e || *s == '#';
}

/* Continuation lines of a multi-line quoted scalar must sit deeper than its parent. */
static bool continuation_ok(struct peek *k, int parent, bool *bad)
{
	if (!next_line(k, bad))
		return false;
	if (is_blank(k))
		return true;
	if (k->indent <= parent || k->line[k->indent] == '\t')
		return false;
	return true;
}

static struct value fail(void)
{
	return (struct value){ .kind = V_FAIL };
}

/* 'single quoted', possibly over several lines (then never a field's value). */
static struct value single_quoted(struct peek *k, const char *s, int parent, bool *bad)
{
	const char *q = s + 1;
	bool multi = false;
	for (;;) {
		while (q < k->eol && *q != '\t') {
			if (*q == '\'') {
				if (q + 1 < k->eol && q[1] == '\'') {
					q += 2;
					continue;
				}
				if (!rest_is_empty(q + 1, k->eol))
					return fail();
				if (multi)
					return (struct value){ .kind = V_SCALAR };
				return (struct value){ .kind = V_STRING, .s = s + 1, .n = (size_t)(q - s - 1),
						       .quoted = true, .single_quoted = true };
			}
			q++;
		}
		if (q < k->eol || !continuation_ok(k, parent, bad))
			return fail();
		multi = true;
		q = k->line + k->indent;
	}
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* "double quoted" with YAML's escapes checked (a field's value only without any). */
static struct value double_quoted(struct peek *k, const char *s, int parent, bool *bad)
{
	const char *q = s + 1;
	bool plain = true;
	for (;;) {
		while (q < k->eol && *q != '\t') {
			if (*q == '"') {
				if (!rest_is_empty(q + 1, k->eol))
					return fail();
				if (!plain)
					return (struct value){ .kind = V_SCALAR };
				return (struct value){ .kind = V_STRING, .s = s + 1, .n = (size_t)(q - s - 1),
						       .quoted = true };
			}
			if (*q == '\\') {
				plain = false;
				if (q + 1 == k->eol) { /* an escaped line break */
					q++;
					break;
				}
				char c = q[1];
				int hex = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
				if (hex) {
					for (int i = 0; i < hex; i++)
						if (q + 2 + i >= k->eol || !is_hex(q[2 + i]))
							return fail();
					q += 2 + hex;
					continue;
				}
				if (!strchr("0abtnvfre \"/\\N_LP", c))
					return fail();
				q += 2;
				continue;
			}
			q++;
		}
		if (q < k->eol || !continuation_ok(k, parent, bad))
			return fail();
		plain = false;
		q = k->line + k->indent;
	}
}

/* A literal or folded block scalar: the header on this line, the content below, deeper
 * than parent. Leaves the first line after the content unread (k->p points at it). */
static struct value block_scalar(struct peek *k, const char *s, int parent, bool *bad)
{
	const char *q = s + 1;
	if (q < k->eol && (*q == '-' || *q == '+'))
		q++;
	if (!rest_is_empty(q, k->eol))
		return fail(); /* an indentation indicator, or something after the header */
	int content = -1;
	for (;;) {
		const char *mark = k->p;
		if (!next_line(k, bad))
			return *bad ? fail() : (struct value){ .kind = V_SCALAR };
		const char *t = k->line + k->indent;
		if (content < 0) {
			if (t == k->eol) {
				if (k->indent > parent)
					return fail(); /* leading blank lines deeper than the parent */
				continue;
			}
			if (*t == '\t')
				return fail();
			if (k->indent <= parent) {
				k->p = mark; /* an empty scalar; this line is the next node */
				return (struct value){ .kind = V_SCALAR };
			}
			content = k->indent;
			continue;
		}
		if (t == k->eol || k->indent >= content)
			continue;
		if (*t == '\t')
			return fail();
		k->p = mark;
		return (struct value){ .kind = V_SCALAR };
	}
}

static bool plain_stops(const char *q, const char *e)
{
	return (*q == ':' && (q + 1 == e || q[1] == ' ')) || (*q == ' ' && q + 1 < e && q[1] == '#') ||
	       *q == '\t';
}

/* A plain scalar; continuation lines (deeper than parent, none of them a comment) make it
 * a multi-line one, which is never a field's value. */
static struct value plain(struct peek *k, const char *s, int parent, bool *bad)
{
	const char *q = s, *last = s;
	for (; q < k->eol; q++) {
		if (plain_stops(q, k->eol)) {
			if (*q != ' ')
				return fail(); /* ": " inside a value, or a tab */
			break;
		}
		if (*q != ' ')
			last = q + 1;
	}
	struct value v = { .kind = V_STRING, .s = s, .n = (size_t)(last - s) };
	if (q < k->eol)
		return v; /* a comment ends the line, and the scalar */
	for (;;) {
		const char *mark = k->p;
		if (!next_line(k, bad))
			return *bad ? fail() : v;
		if (is_blank(k))
			continue;
		const char *t = k->line + k->indent;
		if (k->indent <= parent || *t == '#') {
			k->p = mark;
			return v;
		}
		if ((*t == '-' || *t == '?' || *t == ':') && (t + 1 == k->eol || t[1] == ' '))
			return fail(); /* text to libyaml, but too close to a structure to vouch for */
		for (const char *c = t; c < k->eol; c++)
			if (plain_stops(c, k->eol))
				return fail();
		v.kind = V_SCALAR;
	}
}

/* ---- Flow collections on one line: ["a", 'b', c], {k: v, l: [x]} ---------------------- */

static const char *flow(const char *s, const char *e, int depth);

static const char *skip_spaces(const char *s, const char *e)
{
	while (s < e && *s == ' ')
		s++;
	return s;
}

/* A scalar inside a flow collection: quoted (escapes checked as in double_quoted), or
 * plain from a safe alphabet with single inner spaces. Returns its end, or NULL. */
static const char *flow_scalar(const char *s, const char *e)
{
	if (*s == '\'') {
		for (const char *q = s + 1; q < e; q++) {
			if (*q == '\t')
				return NULL;
			if (*q == '\'') {
				if (q + 1 < e && q[1] == '\'') {
					q++;
					continue;
				}
				return q + 1;
			}
		}
		return NULL;
	}
	if (*s == '"') {
		for (const char *q = s + 1; q < e; q++) {
			if (*q == '\t' || *q == '\\') /* escapes: let the parser read them */
				return NULL;
			if (*q == '"')
				return q + 1;
		}
		return NULL;
	}
	if (!is_key_start(*s) && !(*s == '-' && s + 1 < e && is_key_start(s[1])))
		return NULL;
	const char *q = s;
	while (q < e && (is_key_char(*q) || (*q == ' ' && q + 1 < e && is_key_char(q[1]))))
		q++;
	return q;
}

/* A node inside a flow collection: a scalar or a nested collection. */
static const char *flow_node(const char *s, const char *e, int depth)
{
	if (s < e && (*s == '[' || *s == '{'))
		return flow(s, e, depth + 1);
	return s < e ? flow_scalar(s, e) : NULL;
}

/* The collection opening at s ('[' or '{'), closed on the same line: where it ends, or
 * NULL. Entries are nodes (sequences) or "key: node" pairs (mappings), separated by ", ",
 * without empty entries. */
static const char *flow(const char *s, const char *e, int depth)
{
	if (depth > 16)
		return NULL;
	char close = *s == '[' ? ']' : '}';
	const char *q = skip_spaces(s + 1, e);
	if (q < e && *q == close)
		return q + 1;
	for (;;) {
		if (close == '}') {
			const char *k = q < e ? flow_scalar(q, e) : NULL;
			if (!k || k >= e || *k != ':' || k + 1 >= e || k[1] != ' ')
				return NULL;
			q = skip_spaces(k + 1, e);
		}
		q = flow_node(q, e, depth);
		if (!q)
			return NULL;
		q = skip_spaces(q, e);
		if (q < e && *q == close)
			return q + 1;
		if (q >= e || *q != ',')
			return NULL;
		q = skip_spaces(q + 1, e);
		if (q >= e || *q == close || *q == ',')
			return NULL;
	}
}

/* The value that starts at s on the current line, inside a collection at indent parent. */
static struct value value_at(struct peek *k, const char *s, int parent, bool *bad)
{
	const char *e = k->eol;
	if (s == e || *s == '#')
		return (struct value){ .kind = V_PENDING };
	switch (*s) {
	case '\'':
		return single_quoted(k, s, parent, bad);
	case '"':
		return double_quoted(k, s, parent, bad);
	case '|':
	case '>':
		return block_scalar(k, s, parent, bad);
	case '[':
	case '{': {
		if (s + 1 < e && s[1] == (*s == '[' ? ']' : '}') && rest_is_empty(s + 2, e))
			return (struct value){ .kind = *s == '{' ? V_EMPTY_MAP : V_SCALAR };
		const char *after = flow(s, e, 0);
		if (!after || !rest_is_empty(after, e))
			return fail();
		k->nodes += (size_t)(after - s) / 2;
		return (struct value){ .kind = V_SCALAR };
	}
	case '-':
	case '?':
	case ':':
		if (s + 1 == e || s[1] == ' ')
			return fail();
		return plain(k, s, parent, bad);
	case ',': case ']': case '}': case '&': case '*': case '!': case '%': case '@': case '`':
	case '\t':
		return fail();
	default:
		return plain(k, s, parent, bad);
	}
}

/* A plain scalar the parser reads as a string: a letter first, and not one of YAML 1.1's
 * booleans or null. */
static bool clearly_string(const struct value *v)
{
	if (v->kind != V_STRING)
		return false;
	if (v->quoted)
		return true;
	char c = v->s[0];
	if (!v->n || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		return false;
	static const char *const words[] = {
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
		"false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL",
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == v->n && !memcmp(words[i], v->s, v->n))
			return false;
	return true;
}

static const char *decode(struct arena *a, const struct value *v)
{
	if (!v->single_quoted)
		return arena_strndup(a, v->s, v->n);
	char *out = arena_strndup(a, v->s, v->n), *w = out;
	for (const char *r = out; *r; r++) {
		*w++ = *r;
		if (*r == '\'')
			r++;
	}
	*w = '\0';
	return out;
}

/* A key at s: plain (a safe alphabet) or quoted on one line, then ':' and a space or the
 * end. Sets *key and *keylen (quotes removed) and returns where the value starts, or NULL
 * when this is not such a key. *weird: a key the peek does not read (give up). */
static const char *read_key(const struct peek *k, const char *s, const char **key, size_t *keylen,
			    bool *weird)
{
	const char *e = k->eol, *q = s;
	if (*s == '"' || *s == '\'') {
		q++;
		while (q < e && *q != *s && *q != '\\' && *q != '\t')
			q++;
		if (q == e || *q != *s || (*s == '\'' && q + 1 < e && q[1] == '\''))
			return NULL;
		*key = s + 1;
		*keylen = (size_t)(q - s - 1);
		q++;
	} else {
		if (!is_key_start(*s))
			return NULL;
		while (q < e && is_key_char(*q))
			q++;
		*key = s;
		*keylen = (size_t)(q - s);
	}
	if (q == e || *q != ':' || (q + 1 < e && q[1] != ' '))
		return NULL;
	if (q - s > PEEK_MAX_KEY) {
		*weird = true;
		return NULL;
	}
	q++;
	while (q < e && *q == ' ')
		q++;
	return q;
}

static bool field_prefix(const struct peek *k, const struct doc_peek_field *f, int depth)
{
	for (int i = 0; i < depth; i++)
		if (!f->path[i] || strlen(f->path[i]) != k->chain_len[i] ||
		    memcmp(f->path[i], k->chain[i], k->chain_len[i]))
			return false;
	return true;
}

static bool key_is(const char *want, const char *key, size_t keylen)
{
	return want && strlen(want) == keylen && !memcmp(want, key, keylen);
}

/* A document marker ("---" or "...") at t, the start of a line ending at e. */
static bool is_marker(const char *t, const char *e)
{
	return e - t >= 3 && (!memcmp(t, "---", 3) || !memcmp(t, "...", 3)) &&
	       (e - t == 3 || t[3] == ' ' || t[3] == '\t');
}

static bool push(struct peek *k, int indent, bool seq, bool compact, int depth)
{
	if (k->top + 1 >= PEEK_MAX_DEPTH)
		return false;
	k->st[++k->top] = (struct level){ indent, seq, compact, depth };
	return true;
}

static bool map_entry(struct peek *k, const char *s, bool *bad);
static bool seq_item(struct peek *k, bool *bad);

/* After a key or "- " with nothing after it: the node below, deeper (or a "- " at the same
 * indentation under a key), else a null. *pending: it stopped at a content line that is
 * not part of the node (the null's successor), left in k->line for the caller. */
static bool nested(struct peek *k, int parent_indent, bool in_map, int child_depth, bool *bad,
		   bool *pending)
{
	*pending = false;
	while (next_line(k, bad)) {
		if (is_blank(k) || is_comment(k))
			continue;
		const char *t = k->line + k->indent;
		bool dash = *t == '-' && (t + 1 == k->eol || t[1] == ' ');
		if (k->indent > parent_indent) {
			const char *key;
			size_t keylen;
			bool weird = false;
			if (!dash && !read_key(k, t, &key, &keylen, &weird)) {
				/* a scalar on a line of its own below its key ("{}" from toYaml) */
				if (weird)
					return false;
				struct value v = value_at(k, t, parent_indent, bad);
				if (child_depth >= 0)
					return v.kind == V_EMPTY_MAP;
				return v.kind == V_SCALAR || v.kind == V_STRING || v.kind == V_EMPTY_MAP;
			}
			if (child_depth >= 0 && dash)
				return false;
			if (!push(k, k->indent, dash, false, dash ? -1 : child_depth))
				return false;
		} else if (in_map && dash && k->indent == parent_indent && child_depth < 0) {
			if (!push(k, k->indent, true, true, -1))
				return false;
		} else {
			*pending = true; /* a null: on a requested path, its fields are absent */
			return true;
		}
		return dash ? seq_item(k, bad) : map_entry(k, t, bad);
	}
	return !*bad;
}

/* The value starting at s on the current line, for a node in a collection at indent
 * parent, and whatever it spans below. child_depth >= 0: it must be a block mapping on a
 * requested path; want: it is a requested field and must be a string on this line. */
static bool node(struct peek *k, const char *s, int parent, bool in_map, int child_depth,
		 struct doc_peek_field *want, bool *bad, bool *pending)
{
	*pending = false;
	struct value v = value_at(k, s, parent, bad);
	if (v.kind == V_FAIL)
		return false;
	if (want) {
		if (!clearly_string(&v))
			return false;
		want->value = decode(k->a, &v);
		return true;
	}
	if (v.kind != V_PENDING)
		return child_depth < 0 || v.kind == V_EMPTY_MAP;
	return nested(k, parent, in_map, child_depth, bad, pending);
}

static bool dispatch(struct peek *k, bool *bad);

/* KEY: VALUE at the current line, s at the key, the top level the mapping it belongs to. */
static bool map_entry(struct peek *k, const char *s, bool *bad)
{
	const char *key;
	size_t keylen;
	bool weird = false;
	const char *v = read_key(k, s, &key, &keylen, &weird);
	if (!v || ++k->nodes > PEEK_MAX_NODES)
		return false;
	struct level *lv = &k->st[k->top];
	int child_depth = -1;
	struct doc_peek_field *want = NULL;
	if (lv->depth >= 0 && lv->depth < PEEK_MAX_PATH) {
		for (size_t i = 0; i < k->nf; i++) {
			struct doc_peek_field *f = &k->f[i];
			if (!field_prefix(k, f, lv->depth) || !key_is(f->path[lv->depth], key, keylen))
				continue;
			if (lv->depth + 1 < PEEK_MAX_PATH && f->path[lv->depth + 1]) {
				child_depth = lv->depth + 1;
				f->value = NULL; /* a repeated key replaces what came before */
			} else {
				if (want)
					return false; /* the same field asked for twice */
				want = f;
			}
		}
		if (want && child_depth >= 0)
			return false;
		if (child_depth >= 0) {
			k->chain[lv->depth] = key;
			k->chain_len[lv->depth] = keylen;
		}
	}
	bool pending;
	if (!node(k, v, lv->indent, true, child_depth, want, bad, &pending))
		return false;
	return !pending || dispatch(k, bad);
}

/* "- ..." at the current line; the top level is the sequence. */
static bool seq_item(struct peek *k, bool *bad)
{
	if (++k->nodes > PEEK_MAX_NODES)
		return false;
	int indent = k->st[k->top].indent;
	const char *s = k->line + k->indent + 1;
	while (s < k->eol && *s == ' ')
		s++;
	if (s < k->eol && *s == '-' && (s + 1 == k->eol || s[1] == ' '))
		return false; /* "- - x" */
	const char *key;
	size_t keylen;
	bool weird = false;
	if (s < k->eol && read_key(k, s, &key, &keylen, &weird)) {
		if (!push(k, (int)(s - k->line), false, false, -1))
			return false;
		return map_entry(k, s, bad);
	}
	if (weird)
		return false;
	bool pending;
	if (!node(k, s, indent, false, -1, NULL, bad, &pending))
		return false;
	return !pending || dispatch(k, bad);
}

/* The current line is a content line at no particular place yet: find its collection. */
static bool dispatch(struct peek *k, bool *bad)
{
	const char *t = k->line + k->indent;
	if (*t == '\t' || (k->indent == 0 && is_marker(t, k->eol)))
		return false;
	bool dash = *t == '-' && (t + 1 == k->eol || t[1] == ' ');
	while (k->top > 0 && k->st[k->top].indent > k->indent)
		k->top--;
	struct level *lv = &k->st[k->top];
	if (lv->seq && lv->compact && lv->indent == k->indent && !dash) {
		k->top--;
		lv = &k->st[k->top];
	}
	if (lv->indent != k->indent || lv->seq != dash)
		return false;
	return dash ? seq_item(k, bad) : map_entry(k, t, bad);
}

bool doc_yaml_peek(struct arena *a, const char *data, size_t len, struct doc_peek_field *fields,
		   size_t nfields)
{
	struct peek k = { .a = a, .p = data, .end = data + len, .f = fields, .nf = nfields };
	for (size_t i = 0; i < nfields; i++)
		fields[i].value = NULL;
	bool bad = false, started = false;
	while (next_line(&k, &bad)) {
		if (is_blank(&k) || is_comment(&k))
			continue;
		if (!started) {
			const char *t = k.line + k.indent;
			if (k.indent || *t == '-' || is_marker(t, k.eol))
				return false;
			k.st[0] = (struct level){ 0, false, false, 0 };
			k.top = 0;
			started = true;
		}
		if (!dispatch(&k, &bad))
			return false;
	}
	return started && !bad;
}
