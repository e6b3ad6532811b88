/*
 * YAML reader: libyaml's event stream turned into document trees. Anchors are resolved by
 * copying the anchored node at each alias (so trees never share nodes), counted against
 * max_alias_expansion (nodes) and max_alias_bytes (memory), which is what stops a "billion
 * laughs" input and a large scalar aliased many times; both refusals use yaml.v3's words. Merge keys ("<<") are
 * folded in as yaml.v3 does: keys already in the mapping win, earlier merged maps win over
 * later ones.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "doc/doc.h"
#include "doc/intern.h"
#include "doc/limits.h"
#include "doc/scalar.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct anchor {
	const char *name;
	struct doc_node *node;
	size_t nodes; /* size of the anchored subtree, for the expansion count */
	size_t bytes; /* what a copy of it costs, for the expansion budget */
};

struct reader {
	yaml_parser_t parser;
	yaml_event_t event;
	bool have_event;
	struct arena *a;
	const char *name;
	struct doc_limits lim;
	size_t nodes, expanded, expanded_bytes, depth;
	struct anchor *anchors;
	size_t nanchors, anchors_cap;
	/* Items of the collections being read, innermost last (heap, reused): each collection
	 * gets an array of exactly its size in the arena when it ends, instead of the
	 * abandoned halves of a doubling array. */
	struct doc_pair *pairs;
	size_t npairs, pairs_cap;
	struct doc_node **items;
	size_t nitems, items_cap;
};

static int fail(struct reader *r, int code, size_t line, const char *what)
{
	return err_set(code, "'%s': line %zu: %s", r->name, line, what);
}

static int next(struct reader *r)
{
	if (r->have_event)
		yaml_event_delete(&r->event);
	r->have_event = false;
	if (!yaml_parser_parse(&r->parser, &r->event)) {
		size_t line = r->parser.problem_mark.line + 1;
		if (r->lim.yaml_v2_error_lines) {
			if (r->parser.problem_mark.line)
				line = r->parser.problem_mark.line + (r->parser.error == YAML_SCANNER_ERROR);
			else
				line = r->parser.context_mark.line;
			if (!line)
				return err_set(ERR_INVALID, "'%s': %s", r->name,
					       r->parser.problem ? r->parser.problem : "syntax error");
		}
		if (r->parser.context)
			return err_set(ERR_INVALID, "'%s': line %zu: %s %s", r->name, line,
				       r->parser.problem ? r->parser.problem : "syntax error", r->parser.context);
		return fail(r, ERR_INVALID, line, r->parser.problem ? r->parser.problem : "syntax error");
	}
	r->have_event = true;
	return 0;
}

static size_t subtree_size(const struct doc_node *n)
{
	size_t s = 1;
	if (n->kind == DOC_SEQ)
		for (size_t i = 0; i < n->u.seq.len; i++)
			s += subtree_size(n->u.seq.items[i]);
	else if (n->kind == DOC_MAP)
		for (size_t i = 0; i < n->u.map.len; i++)
			s += subtree_size(n->u.map.items[i].value);
	return s;
}

/* What doc_clone of n allocates, near enough: each node, its text and its keys. */
static size_t subtree_bytes(const struct doc_node *n)
{
	size_t s = sizeof(*n);
	if (n->kind == DOC_SEQ)
		for (size_t i = 0; i < n->u.seq.len; i++)
			s += sizeof(n) + subtree_bytes(n->u.seq.items[i]);
	else if (n->kind == DOC_MAP)
		for (size_t i = 0; i < n->u.map.len; i++)
			s += sizeof(struct doc_pair) + n->u.map.items[i].keylen +
			     subtree_bytes(n->u.map.items[i].value);
	else if (n->kind != DOC_BOOL && n->u.str.ptr)
		s += n->u.str.len + 1;
	return s;
}

static int count_node(struct reader *r, size_t line)
{
	if (++r->nodes > r->lim.max_nodes)
		return fail(r, ERR_TOOBIG, line, "too many nodes");
	return 0;
}

static void remember_anchor(struct reader *r, const unsigned char *anchor, struct doc_node *n)
{
	if (!anchor)
		return;
	/* A later anchor of the same name shadows the earlier one, as in YAML. */
	r->anchors = arena_grow(r->a, r->anchors, &r->anchors_cap, r->nanchors + 1, sizeof(struct anchor));
	r->anchors[r->nanchors].name = arena_strdup(r->a, (const char *)anchor);
	r->anchors[r->nanchors].node = n;
	r->anchors[r->nanchors].nodes = subtree_size(n);
	r->anchors[r->nanchors].bytes = subtree_bytes(n);
	r->nanchors++;
}

static const char *tag_of(struct reader *r, const unsigned char *tag, int implicit)
{
	if (!tag || implicit)
		return NULL;
	const char *t = (const char *)tag;
	static const char core[] = "tag:yaml.org,2002:";
	if (!strncmp(t, core, sizeof(core) - 1))
		return arena_sprintf(r->a, "!!%s", t + sizeof(core) - 1);
	return arena_strdup(r->a, t);
}

/* The kind a scalar resolves to, with its tag (NULL for the core tags). */
static enum doc_kind scalar_kind(struct reader *r, const yaml_event_t *e, const char **tag_out)
{
	const char *text = (const char *)e->data.scalar.value;
	size_t len = e->data.scalar.length;
	const char *tag = tag_of(r, e->data.scalar.tag, e->data.scalar.plain_implicit && e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE);
	bool plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	enum doc_kind k = DOC_STR;
	if (tag && !strcmp(tag, "!!str"))
		k = DOC_STR;
	else if (tag && (!strcmp(tag, "!!int") || !strcmp(tag, "!!float") || !strcmp(tag, "!!bool") || !strcmp(tag, "!!null")))
		k = scalar_resolve_plain(text, len);
	else if (plain && !tag)
		k = scalar_resolve_plain(text, len);
	*tag_out = tag && strcmp(tag, "!!str") && strcmp(tag, "!!int") && strcmp(tag, "!!float") &&
			   strcmp(tag, "!!bool") && strcmp(tag, "!!null") ? tag : NULL;
	return k;
}

static uint8_t scalar_style(const yaml_event_t *e)
{
	switch (e->data.scalar.style) {
	case YAML_PLAIN_SCALAR_STYLE: return DOC_STYLE_PLAIN;
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: return DOC_STYLE_SINGLE;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return DOC_STYLE_DOUBLE;
	case YAML_LITERAL_SCALAR_STYLE: return DOC_STYLE_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE: return DOC_STYLE_FOLDED;
	default: return DOC_STYLE_ANY;
	}
}

/* A folded scalar's value as Go's yaml.v3 reads it, from the value libyaml gives: where a
 * line of normal indentation is followed (after any empty lines) by a more-indented line,
 * yaml.v3 keeps one line break more than the YAML spec and libyaml do (">-" over "a",
 * "  b" gives "a\n\n  b", not "a\n  b"). In the value, such a place is a run of line
 * breaks between a segment that does not start with a blank (normal lines, folded
 * together) and one that does (a more-indented line keeps its extra indentation). A copy
 * in the arena, or text itself when nothing changes. */
static const char *folded_as_yaml_v3(struct arena *a, const char *text, size_t *len)
{
	size_t n = *len, extra = 0;
	for (size_t i = 1; i < n; i++)
		if (text[i] == '\n' && text[i - 1] != '\n')
			extra++;
	if (!extra)
		return text;
	char *out = arena_alloc(a, n + extra + 1);
	size_t o = 0, seg = 0; /* seg: where the current segment starts */
	for (size_t i = 0; i < n;) {
		if (text[i] != '\n') {
			out[o++] = text[i++];
			continue;
		}
		size_t j = i;
		while (j < n && text[j] == '\n')
			j++;
		bool normal_before = i > seg && text[seg] != ' ' && text[seg] != '\t';
		bool indented_after = j < n && (text[j] == ' ' || text[j] == '\t');
		if (i > 0 && normal_before && indented_after)
			out[o++] = '\n';
		for (; i < j; i++)
			out[o++] = '\n';
		seg = j;
	}
	out[o] = '\0';
	*len = o;
	return out;
}

static struct doc_node *make_scalar(struct reader *r, const yaml_event_t *e)
{
	const char *text = (const char *)e->data.scalar.value;
	size_t len = e->data.scalar.length;
	if (e->data.scalar.style == YAML_FOLDED_SCALAR_STYLE)
		text = folded_as_yaml_v3(r->a, text, &len);
	const char *tag;
	enum doc_kind k = scalar_kind(r, e, &tag);
	struct doc_node *n = doc_new(r->a, k);
	if (k == DOC_BOOL)
		n->u.boolean = text[0] == 't' || text[0] == 'T';
	/* Nulls keep their text too ("", "~", "null"), so they are written back as read. */
	if (k != DOC_BOOL) {
		n->u.str.ptr = doc_strndup(r->a, text, len);
		n->u.str.len = len;
	}
	n->style = scalar_style(e);
	n->tag = tag;
	n->line = (uint32_t)(e->start_mark.line + 1);
	return n;
}

static int parse_current(struct reader *r, struct doc_node **out);

/* Reads the next event and the node it starts. */
static int parse_node(struct reader *r, struct doc_node **out)
{
	int rc = next(r);
	if (rc)
		return rc;
	return parse_current(r, out);
}

/* The keys of one mapping being read, for the duplicate-key check: a linear scan while the
 * mapping is small, an open-addressing hash of pair indexes (relative to base) once it
 * has KEYIDX_MIN keys, so a mapping of n keys is read in O(n), not O(n^2). */
#define KEYIDX_MIN 32

struct keyidx {
	size_t *slots; /* index + 1 into the reader's pairs; 0 = empty */
	size_t cap;    /* a power of two, at least twice the keys held */
};

static size_t key_hash(const char *k, size_t n)
{
	size_t h = 14695981039346656037u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211u;
	return h;
}

static void keyidx_put(struct keyidx *x, const struct doc_pair *pairs, size_t i)
{
	size_t m = x->cap - 1, h = key_hash(pairs[i].key, pairs[i].keylen) & m;
	while (x->slots[h])
		h = (h + 1) & m;
	x->slots[h] = i + 1;
}

/* Rebuilds the index over pairs[0..n) when it would be more than half full. */
static void keyidx_fit(struct keyidx *x, const struct doc_pair *pairs, size_t n)
{
	if (2 * (n + 1) <= x->cap)
		return;
	size_t cap = x->cap ? x->cap : 2 * KEYIDX_MIN;
	while (2 * (n + 1) > cap)
		cap *= 2;
	free(x->slots);
	x->slots = xcalloc(cap, sizeof(*x->slots));
	x->cap = cap;
	for (size_t i = 0; i < n; i++)
		keyidx_put(x, pairs, i);
}

static struct doc_pair *keyidx_find(const struct keyidx *x, struct doc_pair *pairs,
				    const char *k, size_t n)
{
	size_t m = x->cap - 1;
	for (size_t h = key_hash(k, n) & m; x->slots[h]; h = (h + 1) & m) {
		struct doc_pair *p = &pairs[x->slots[h] - 1];
		if (p->keylen == n && !memcmp(p->key, k, n))
			return p;
	}
	return NULL;
}

/* Folds the mapping (or sequence of mappings) src into dst without overriding its keys.
 * idx indexes dst's keys (kept up to date as keys are added), so merging m keys into a
 * mapping of n is O(n + m), not O(n * m). */
static int merge_into(struct reader *r, struct doc_node *dst, struct doc_node *src,
		      struct keyidx *idx, size_t line)
{
	if (src->kind == DOC_SEQ) {
		for (size_t i = 0; i < src->u.seq.len; i++) {
			int rc = merge_into(r, dst, src->u.seq.items[i], idx, line);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (src->kind != DOC_MAP)
		return fail(r, ERR_INVALID, line, "map merge requires map or sequence of maps as the value");
	for (size_t i = 0; i < src->u.map.len; i++) {
		struct doc_pair *p = &src->u.map.items[i];
		if (keyidx_find(idx, dst->u.map.items, p->key, p->keylen))
			continue;
		/* the key's bytes already live in the reader's arena */
		doc_map_push_owned(r->a, dst, p->key, p->keylen, p->value);
		struct doc_pair *q = &dst->u.map.items[dst->u.map.len - 1];
		q->key_kind = p->key_kind;
		q->key_style = p->key_style;
		size_t cap = idx->cap;
		keyidx_fit(idx, dst->u.map.items, dst->u.map.len);
		if (idx->cap == cap)
			keyidx_put(idx, dst->u.map.items, dst->u.map.len - 1);
	}
	return 0;
}

static int parse_mapping_keys(struct reader *r, struct doc_node *map, struct keyidx *idx);

static int parse_mapping(struct reader *r, struct doc_node *map)
{
	struct keyidx idx = { NULL, 0 };
	int rc = parse_mapping_keys(r, map, &idx);
	free(idx.slots);
	return rc;
}

static int parse_mapping_keys(struct reader *r, struct doc_node *map, struct keyidx *idx)
{
	struct doc_node *merges[64];
	size_t nmerges = 0, base = r->npairs;
	for (;;) {
		int rc = next(r);
		if (rc)
			return rc;
		if (r->event.type == YAML_MAPPING_END_EVENT)
			break;
		size_t line = r->event.start_mark.line + 1;
		if (r->event.type != YAML_SCALAR_EVENT) {
			/* Kubernetes objects have string keys; a collection as a key is refused. */
			if (r->event.type == YAML_ALIAS_EVENT)
				return fail(r, ERR_INVALID, line, "an alias as a mapping key is not supported");
			return fail(r, ERR_INVALID, line, "a mapping or sequence as a mapping key is not supported");
		}
		/* The key's text, kind and style only: no node is kept for a key. */
		const yaml_event_t *e = &r->event;
		const char *tag;
		enum doc_kind kkind = scalar_kind(r, e, &tag);
		uint8_t kstyle = scalar_style(e);
		size_t klen = e->data.scalar.length;
		bool is_merge = kstyle == DOC_STYLE_PLAIN && klen == 2 &&
				!memcmp(e->data.scalar.value, "<<", 2);
		const char *ktext = "";
		if (kkind == DOC_BOOL) {
			bool t = e->data.scalar.value[0] == 't' || e->data.scalar.value[0] == 'T';
			ktext = t ? "true" : "false";
			klen = strlen(ktext);
		} else if (!is_merge) {
			ktext = doc_strndup(r->a, (const char *)e->data.scalar.value, klen);
		}
		struct doc_node *value;
		rc = parse_node(r, &value);
		if (rc)
			return rc;
		if (is_merge) {
			if (nmerges == sizeof(merges) / sizeof(merges[0]))
				return fail(r, ERR_TOOBIG, line, "too many merge keys");
			merges[nmerges++] = value;
			continue;
		}
		struct doc_pair *old = NULL;
		size_t have = r->npairs - base;
		if (have < KEYIDX_MIN) {
			for (size_t i = base; i < r->npairs; i++)
				if (r->pairs[i].keylen == klen && !memcmp(r->pairs[i].key, ktext, klen))
					old = &r->pairs[i];
		} else {
			/* Rebuilt when it grows (the pairs array may move then, and nested
			 * mappings use the same array above base, which is why indexes, not
			 * pointers, are stored). */
			keyidx_fit(idx, r->pairs + base, have);
			old = keyidx_find(idx, r->pairs + base, ktext, klen);
		}
		if (old && !r->lim.duplicate_keys_last_wins)
			return err_set(ERR_INVALID, "'%s': line %zu: mapping key \"%s\" already defined at line %u",
				       r->name, line, ktext, old->value->line);
		struct doc_pair *p = old;
		if (old) {
			old->value = value;
		} else {
			r->pairs = xgrow(r->pairs, &r->pairs_cap, r->npairs + 1, sizeof(*r->pairs));
			p = &r->pairs[r->npairs++];
			memset(p, 0, sizeof(*p));
			p->key = ktext;
			p->keylen = klen;
			p->value = value;
			if (idx->cap && 2 * (r->npairs - base) <= idx->cap)
				keyidx_put(idx, r->pairs + base, r->npairs - base - 1);
			else if (idx->cap)
				keyidx_fit(idx, r->pairs + base, r->npairs - base);
		}
		p->key_kind = kkind;
		p->key_style = kstyle;
	}
	size_t n = r->npairs - base;
	if (n) {
		map->u.map.items = arena_alloc(r->a, n * sizeof(struct doc_pair));
		memcpy(map->u.map.items, r->pairs + base, n * sizeof(struct doc_pair));
	}
	map->u.map.len = map->u.map.cap = n;
	r->npairs = base;
	if (!nmerges)
		return 0;
	struct keyidx midx = { NULL, 0 };
	keyidx_fit(&midx, map->u.map.items, n);
	int rc = 0;
	for (size_t i = 0; i < nmerges && !rc; i++)
		rc = merge_into(r, map, merges[i], &midx, map->line);
	free(midx.slots);
	return rc;
}

/* Builds the node that the current event starts (consuming its whole subtree). */
static int parse_current(struct reader *r, struct doc_node **out)
{
	int rc;
	yaml_event_t *e = &r->event;
	size_t line = e->start_mark.line + 1;
	struct doc_node *n;
	switch (e->type) {
	case YAML_SCALAR_EVENT:
		if ((rc = count_node(r, line)))
			return rc;
		n = make_scalar(r, e);
		remember_anchor(r, e->data.scalar.anchor, n);
		break;
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)e->data.alias.anchor;
		struct anchor *an = NULL;
		for (size_t i = r->nanchors; i-- > 0;)
			if (!strcmp(r->anchors[i].name, name)) {
				an = &r->anchors[i];
				break;
			}
		if (!an)
			return err_set(ERR_INVALID, "'%s': line %zu: unknown anchor '%s' referenced", r->name, line, name);
		r->expanded += an->nodes;
		r->expanded_bytes += an->bytes;
		/* Checked before the copy is made, so a refused alias costs nothing. */
		if (r->expanded > r->lim.max_alias_expansion)
			return err_set(ERR_TOOBIG, "'%s': line %zu: document contains excessive aliasing "
				       "(aliases expand to more than %zu nodes)", r->name, line,
				       r->lim.max_alias_expansion);
		if (r->expanded_bytes > r->lim.max_alias_bytes)
			return err_set(ERR_TOOBIG, "'%s': line %zu: document contains excessive aliasing "
				       "(aliases expand to more than %zu bytes)", r->name, line,
				       r->lim.max_alias_bytes);
		r->nodes += an->nodes;
		if (r->nodes > r->lim.max_nodes)
			return fail(r, ERR_TOOBIG, line, "too many nodes");
		n = doc_clone(r->a, an->node);
		break;
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		if ((rc = count_node(r, line)))
			return rc;
		if (++r->depth > r->lim.max_depth)
			return err_set(ERR_TOOBIG, "'%s': line %zu: nesting deeper than %zu", r->name, line, r->lim.max_depth);
		bool is_seq = e->type == YAML_SEQUENCE_START_EVENT;
		n = doc_new(r->a, is_seq ? DOC_SEQ : DOC_MAP);
		n->line = (uint32_t)line;
		const unsigned char *anchor_raw = is_seq ? e->data.sequence_start.anchor : e->data.mapping_start.anchor;
		char *anchor = anchor_raw ? arena_strdup(r->a, (const char *)anchor_raw) : NULL;
		const unsigned char *tag = is_seq ? e->data.sequence_start.tag : e->data.mapping_start.tag;
		int implicit = is_seq ? e->data.sequence_start.implicit : e->data.mapping_start.implicit;
		n->tag = tag_of(r, tag, implicit);
		if (n->tag && (!strcmp(n->tag, "!!map") || !strcmp(n->tag, "!!seq")))
			n->tag = NULL;
		bool flow = is_seq ? e->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
				   : e->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
		n->style = flow ? DOC_STYLE_FLOW : DOC_STYLE_ANY;
		if (is_seq) {
			size_t base = r->nitems;
			for (;;) {
				rc = next(r);
				if (rc)
					return rc;
				if (r->event.type == YAML_SEQUENCE_END_EVENT)
					break;
				struct doc_node *item;
				rc = parse_current(r, &item);
				if (rc)
					return rc;
				r->items = xgrow(r->items, &r->items_cap, r->nitems + 1, sizeof(*r->items));
				r->items[r->nitems++] = item;
			}
			size_t cnt = r->nitems - base;
			if (cnt) {
				n->u.seq.items = arena_alloc8(r->a, cnt * sizeof(struct doc_node *));
				memcpy(n->u.seq.items, r->items + base, cnt * sizeof(struct doc_node *));
			}
			n->u.seq.len = n->u.seq.cap = cnt;
			r->nitems = base;
		} else {
			rc = parse_mapping(r, n);
			if (rc)
				return rc;
		}
		r->depth--;
		if (anchor)
			remember_anchor(r, (const unsigned char *)anchor, n);
		break;
	}
	default:
		return fail(r, ERR_INVALID, line, "unexpected YAML event");
	}
	*out = n;
	return 0;
}

int doc_parse_yaml(struct arena *a, const char *name, const char *data, size_t len,
		   const struct doc_limits *limits, struct doc_stream *out)
{
	memset(out, 0, sizeof(*out));
	struct reader r;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.name = name ? name : "<input>";
	doc_limits_fill(&r.lim, limits);
	if (len > r.lim.max_bytes)
		return err_set(ERR_TOOBIG, "'%s': larger than %zu bytes", r.name, r.lim.max_bytes);
	if (!yaml_parser_initialize(&r.parser))
		return err_set(ERR_GENERIC, "'%s': cannot initialise the YAML parser", r.name);
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)data, len);
	struct doc_stream docs = { 0 };
	int rc;
	for (;;) {
		if ((rc = next(&r)))
			goto done;
		yaml_event_type_t t = r.event.type;
		if (t == YAML_STREAM_END_EVENT)
			break;
		if (t != YAML_DOCUMENT_START_EVENT)
			continue;
		/* Anchors are per document. */
		r.nanchors = 0;
		struct doc_node *root = NULL;
		if ((rc = next(&r)))
			goto done;
		if (r.event.type != YAML_DOCUMENT_END_EVENT) {
			if ((rc = parse_current(&r, &root)))
				goto done;
			if ((rc = next(&r)))
				goto done;
		}
		/* Empty documents (nothing, or only a null) are skipped, as kubectl does. */
		if (root && !(root->kind == DOC_NULL && root->style == DOC_STYLE_PLAIN && !root->tag)) {
			if (docs.len == r.lim.max_documents) {
				rc = err_set(ERR_TOOBIG, "'%s': more than %zu documents", r.name, r.lim.max_documents);
				goto done;
			}
			docs.docs = arena_grow(a, docs.docs, &docs.cap, docs.len + 1, sizeof(struct doc_node *));
			docs.docs[docs.len++] = root;
		}
	}
	*out = docs;
	rc = 0;
done:
	if (r.have_event)
		yaml_event_delete(&r.event);
	yaml_parser_delete(&r.parser);
	free(r.pairs);
	free(r.items);
	return rc;
}
