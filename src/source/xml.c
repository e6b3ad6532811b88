/*
 * The small XML reader of source/xml.h: one pass over a document in memory, a stack of
 * open element names (pointers into the input), the text of the innermost element in one
 * capped buffer. Everything that is not an element, text, a reference, CDATA, a comment or
 * a processing instruction is refused, DOCTYPE first of all.
 */
#include "source/xml.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct open_elem {
	const char *name; /* the local name */
	size_t len;
	const char *qname; /* the name as written, for the end tag */
	size_t qlen;
	bool had_child;
};

struct reader {
	const char *start, *p, *end;
	size_t max_depth, max_name, max_text;
	const struct xml_handler *h;
	void *ud;
	struct open_elem *stack;
	size_t depth;
	bool root_seen;
	struct buf text;
};

static int bad(struct reader *r, const char *what)
{
	return err_set(ERR_INVALID, "malformed XML: %s at byte %zu", what, (size_t)(r->p - r->start));
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool name_start(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || c >= 0x80;
}

static bool name_char(unsigned char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static bool starts(struct reader *r, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(r->end - r->p) >= n && !memcmp(r->p, s, n);
}

/* Moves past the next occurrence of s; false when there is none. */
static bool skip_past(struct reader *r, const char *s)
{
	size_t n = strlen(s);
	const char *f = memmem(r->p, (size_t)(r->end - r->p), s, n);
	if (!f)
		return false;
	r->p = f + n;
	return true;
}

static int read_name(struct reader *r, const char **name, size_t *len)
{
	const char *s = r->p;
	if (r->p >= r->end || !name_start((unsigned char)*r->p))
		return bad(r, "expected a name");
	while (r->p < r->end && name_char((unsigned char)*r->p))
		r->p++;
	*name = s;
	*len = (size_t)(r->p - s);
	if (*len > r->max_name)
		return err_set(ERR_TOOBIG, "XML name longer than %zu bytes at byte %zu", r->max_name,
			       (size_t)(s - r->start));
	return 0;
}

static void local_name(const char *qname, size_t qlen, const char **name, size_t *len)
{
	const char *colon = NULL;
	for (size_t i = 0; i < qlen; i++)
		if (qname[i] == ':')
			colon = qname + i;
	*name = colon ? colon + 1 : qname;
	*len = qlen - (size_t)(*name - qname);
}

static bool keeping_text(const struct reader *r)
{
	return r->depth && !r->stack[r->depth - 1].had_child;
}

static int add_text(struct reader *r, const char *s, size_t n)
{
	if (!keeping_text(r))
		return 0;
	if (r->text.len + n > r->max_text)
		return err_set(ERR_TOOBIG, "XML element text longer than %zu bytes at byte %zu",
			       r->max_text, (size_t)(r->p - r->start));
	buf_add(&r->text, s, n);
	return 0;
}

static void utf8_put(char out[4], size_t *n, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp, *n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6)), out[1] = (char)(0x80 | (cp & 0x3f)), *n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12)), out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f)), *n = 3;
	} else {
		out[0] = (char)(0xf0 | (cp >> 18)), out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), out[3] = (char)(0x80 | (cp & 0x3f));
		*n = 4;
	}
}

/* A reference at r->p ('&'): appends what it stands for. */
static int reference(struct reader *r)
{
	static const struct { const char *name; char c; } named[] = {
		{ "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' }, { "quot;", '"' }, { "apos;", '\'' },
	};
	r->p++;
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		if (starts(r, named[i].name)) {
			r->p += strlen(named[i].name);
			return add_text(r, &named[i].c, 1);
		}
	}
	if (r->p >= r->end || *r->p != '#')
		return bad(r, "unknown entity (only the predefined five are known)");
	r->p++;
	bool hex = r->p < r->end && *r->p == 'x';
	if (hex)
		r->p++;
	uint32_t cp = 0;
	size_t digits = 0;
	for (; r->p < r->end && *r->p != ';'; r->p++, digits++) {
		char c = *r->p;
		int v = c >= '0' && c <= '9' ? c - '0'
			: hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
			: hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (v < 0)
			return bad(r, "bad character reference");
		cp = cp * (hex ? 16 : 10) + (uint32_t)v;
		if (cp > 0x10ffff)
			return bad(r, "character reference out of range");
	}
	if (r->p >= r->end || !digits)
		return bad(r, "bad character reference");
	r->p++; /* ';' */
	/* Control characters are let through (S3 writes them so in keys when not asked for
	 * encoding-type=url); NUL, surrogates and non-characters are not. */
	if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
		return bad(r, "character reference to a character XML cannot hold");
	char u[4];
	size_t n;
	utf8_put(u, &n, cp);
	return add_text(r, u, n);
}

/* Character data up to the next '<'. */
static int char_data(struct reader *r)
{
	while (r->p < r->end && *r->p != '<') {
		if (!r->depth) {
			if (!is_space(*r->p))
				return bad(r, r->root_seen ? "text after the root element"
							   : "text before the root element");
			r->p++;
			continue;
		}
		int rc;
		if (*r->p == '&') {
			rc = reference(r);
		} else if (*r->p == '\r') {
			/* XML's end-of-line handling: CR LF and a lone CR read as LF. */
			r->p++;
			if (r->p < r->end && *r->p == '\n')
				r->p++;
			rc = add_text(r, "\n", 1);
		} else if (*r->p == '\0') {
			return bad(r, "NUL byte");
		} else {
			const char *s = r->p;
			while (r->p < r->end && *r->p != '<' && *r->p != '&' && *r->p != '\r' &&
			       *r->p != '\0')
				r->p++;
			rc = add_text(r, s, (size_t)(r->p - s));
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int attributes(struct reader *r, bool *empty)
{
	for (;;) {
		bool space = false;
		while (r->p < r->end && is_space(*r->p))
			r->p++, space = true;
		if (r->p >= r->end)
			return bad(r, "unterminated tag");
		if (*r->p == '>') {
			r->p++;
			*empty = false;
			return 0;
		}
		if (*r->p == '/') {
			r->p++;
			if (r->p >= r->end || *r->p != '>')
				return bad(r, "expected '>' after '/'");
			r->p++;
			*empty = true;
			return 0;
		}
		if (!space)
			return bad(r, "expected a space before an attribute");
		const char *name;
		size_t len;
		int rc = read_name(r, &name, &len);
		if (rc)
			return rc;
		while (r->p < r->end && is_space(*r->p))
			r->p++;
		if (r->p >= r->end || *r->p != '=')
			return bad(r, "expected '=' after an attribute name");
		r->p++;
		while (r->p < r->end && is_space(*r->p))
			r->p++;
		if (r->p >= r->end || (*r->p != '"' && *r->p != '\''))
			return bad(r, "expected a quoted attribute value");
		char q = *r->p++;
		const char *v = memchr(r->p, q, (size_t)(r->end - r->p));
		if (!v)
			return bad(r, "unterminated attribute value");
		if (memchr(r->p, '<', (size_t)(v - r->p)))
			return bad(r, "'<' in an attribute value");
		r->p = v + 1;
	}
}

static int start_tag(struct reader *r)
{
	r->p++; /* '<' */
	if (!r->depth && r->root_seen)
		return bad(r, "a second root element");
	if (r->depth >= r->max_depth)
		return err_set(ERR_TOOBIG, "XML nested deeper than %zu elements at byte %zu",
			       r->max_depth, (size_t)(r->p - r->start));
	const char *qname;
	size_t qlen;
	int rc = read_name(r, &qname, &qlen);
	if (rc)
		return rc;
	bool empty = false;
	if ((rc = attributes(r, &empty)))
		return rc;
	if (r->depth)
		r->stack[r->depth - 1].had_child = true;
	struct open_elem *e = &r->stack[r->depth++];
	e->qname = qname;
	e->qlen = qlen;
	local_name(qname, qlen, &e->name, &e->len);
	e->had_child = false;
	r->root_seen = true;
	buf_reset(&r->text);
	if (r->h->start && (rc = r->h->start(r->ud, r->depth, e->name, e->len)))
		return rc;
	if (!empty)
		return 0;
	r->depth--;
	if (r->h->end)
		return r->h->end(r->ud, r->depth + 1, e->name, e->len, "", 0);
	return 0;
}

static int end_tag(struct reader *r)
{
	r->p += 2; /* "</" */
	const char *qname;
	size_t qlen;
	int rc = read_name(r, &qname, &qlen);
	if (rc)
		return rc;
	while (r->p < r->end && is_space(*r->p))
		r->p++;
	if (r->p >= r->end || *r->p != '>')
		return bad(r, "expected '>' to end an end tag");
	r->p++;
	if (!r->depth)
		return bad(r, "an end tag without a start tag");
	struct open_elem *e = &r->stack[r->depth - 1];
	if (e->qlen != qlen || memcmp(e->qname, qname, qlen))
		return bad(r, "an end tag that does not match its start tag");
	r->depth--;
	if (r->h->end) {
		if (e->had_child)
			rc = r->h->end(r->ud, r->depth + 1, e->name, e->len, NULL, 0);
		else
			rc = r->h->end(r->ud, r->depth + 1, e->name, e->len, r->text.ptr, r->text.len);
	}
	buf_reset(&r->text);
	return rc;
}

static int markup(struct reader *r)
{
	if (starts(r, "<?")) {
		if (!skip_past(r, "?>"))
			return bad(r, "unterminated processing instruction");
		return 0;
	}
	if (starts(r, "<!--")) {
		r->p += 4;
		if (!skip_past(r, "-->"))
			return bad(r, "unterminated comment");
		return 0;
	}
	if (starts(r, "<![CDATA[")) {
		if (!r->depth)
			return bad(r, "CDATA outside the root element");
		r->p += 9;
		const char *s = r->p;
		const char *f = memmem(s, (size_t)(r->end - s), "]]>", 3);
		if (!f)
			return bad(r, "unterminated CDATA section");
		if (memchr(s, '\0', (size_t)(f - s)))
			return bad(r, "NUL byte");
		int rc = add_text(r, s, (size_t)(f - s));
		r->p = f + 3;
		return rc;
	}
	if (starts(r, "<!DOCTYPE"))
		return err_set(ERR_INVALID, "XML with a DOCTYPE is not accepted (at byte %zu)",
			       (size_t)(r->p - r->start));
	if (starts(r, "<!"))
		return bad(r, "unsupported markup declaration");
	if (starts(r, "</"))
		return end_tag(r);
	return start_tag(r);
}

int xml_read(const char *data, size_t len, const struct xml_limits *lim,
	     const struct xml_handler *h, void *ud)
{
	struct reader r = {
		.start = data, .p = data, .end = data + len,
		.max_depth = lim && lim->max_depth ? lim->max_depth : 32,
		.max_name = lim && lim->max_name ? lim->max_name : 256,
		.max_text = lim && lim->max_text ? lim->max_text : 64 * 1024,
		.h = h, .ud = ud,
	};
	buf_init(&r.text, 0);
	r.stack = xcalloc(r.max_depth, sizeof(*r.stack));
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		r.p += 3;
	int rc = 0;
	while (!rc && r.p < r.end)
		rc = *r.p == '<' ? markup(&r) : char_data(&r);
	if (!rc && r.depth)
		rc = bad(&r, "the document ends inside an element");
	if (!rc && !r.root_seen)
		rc = err_set(ERR_INVALID, "malformed XML: no root element");
	free(r.stack);
	buf_release(&r.text);
	return rc;
}
