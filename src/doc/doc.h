/*
 * The document model: one in-memory tree for YAML and JSON, used by every module that
 * handles Kubernetes objects (the kustomize engine, the apply engine, the client, the CLI).
 *
 * A tree lives in an arena (util/arena.h): every node, string and array of a document is
 * allocated there and freed with the arena. Nodes are plain structs; read them directly,
 * change them through the functions below so arrays grow in the right arena.
 *
 * Scalars keep their text. An integer or float is stored as the text it was written with
 * (normalised only where YAML and JSON disagree, see doc_yaml.c), so big integers and
 * decimal fractions cross YAML <-> JSON exactly. Mappings keep key order.
 *
 * Every parser reads untrusted input: nesting depth, alias expansion, document size and
 * document count are capped (struct doc_limits), and a rejection names the file and line.
 */
#ifndef TIDE_DOC_DOC_H
#define TIDE_DOC_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;

enum doc_kind {
	DOC_NULL,
	DOC_BOOL,
	DOC_INT,   /* text in str: "-12", "9223372036854775808" (no cap on digits) */
	DOC_FLOAT, /* text in str: "1.5", "1e+30", ".inf", "-.inf", ".nan" */
	DOC_STR,
	DOC_SEQ,
	DOC_MAP,
};

/* How a node was written in YAML. The emitter keeps a style when it is still valid for the
 * value (a plain scalar that now reads as a number is quoted anyway); DOC_STYLE_ANY lets the
 * emitter choose, as Go's yaml.v3 would. */
enum doc_style {
	DOC_STYLE_ANY,
	DOC_STYLE_PLAIN,
	DOC_STYLE_SINGLE,
	DOC_STYLE_DOUBLE,
	DOC_STYLE_LITERAL, /* | */
	DOC_STYLE_FOLDED,  /* > */
	DOC_STYLE_FLOW,    /* [a, b] or {a: b} for collections */
};

struct doc_node;

struct doc_pair {
	const char *key;           /* NUL-terminated; may contain NUL only if keylen says so */
	size_t keylen;
	enum doc_kind key_kind;    /* DOC_STR, or the scalar kind an unquoted key resolved to */
	uint8_t key_style;         /* enum doc_style */
	struct doc_node *value;
};

struct doc_node {
	uint8_t kind;  /* enum doc_kind */
	uint8_t style; /* enum doc_style */
	uint32_t line; /* 1-based line in the source; 0 for nodes made in memory */
	const char *tag; /* explicit YAML tag as written ("!!binary", "!foo"), or NULL */
	const char *head_comment; /* YAML comments kept for re-emission, or NULL */
	const char *line_comment;
	/* DOC_NULL read from YAML keeps its text in u.str ("", "~", "null") so it is written
	 * back as read; a null made in memory has u.str.ptr NULL and is written "null". */
	union {
		bool boolean;
		struct {
			const char *ptr; /* NUL-terminated */
			size_t len;
		} str; /* DOC_STR, DOC_INT, DOC_FLOAT */
		struct {
			struct doc_node **items;
			size_t len, cap;
		} seq;
		struct {
			struct doc_pair *items;
			size_t len, cap;
		} map;
	} u;
};

/* A parsed stream: documents in order. Arrays live in the arena. */
struct doc_stream {
	struct doc_node **docs;
	size_t len, cap;
};

struct doc_limits {
	size_t max_bytes;     /* input size; 0 = default 64 MiB */
	size_t max_depth;     /* nesting of collections; 0 = default 256 */
	size_t max_documents; /* 0 = default 100,000 */
	size_t max_nodes;     /* total nodes after alias expansion; 0 = default 10,000,000 */
	size_t max_alias_expansion; /* nodes copied through aliases; 0 = default 100,000 */
	/* Bytes copied through aliases (scalar and key text plus a node's own size each):
	 * a few aliases of one large scalar are cheap in nodes but not in memory. 0 = default
	 * 64 MiB, the input cap, so aliases can at most double what the input costs. */
	size_t max_alias_bytes;
	/* A repeated mapping key is an error (yaml.v3, kubectl) unless this is set; then the
	 * later value replaces the earlier one in place, as sigs.k8s.io/yaml reads kustomization
	 * files. */
	bool duplicate_keys_last_wins;
	/* Number a syntax error's line as gopkg.in/yaml.v2 does (Helm reads values with it):
	 * a parser error names the problem's 0-based line, a scanner error its 1-based one,
	 * and a problem on the first line the context's 0-based line, or none when that is 0
	 * too. Off: the problem's 1-based line, as yaml.v3 and kubectl. */
	bool yaml_v2_error_lines;
};

/* ---- Parsing ---------------------------------------------------------------------------
 * name is used in error messages only ("'deploy.yaml': line 4: ..."). limits may be NULL.
 * Errors: ERR_INVALID (malformed), ERR_TOOBIG (a cap); the message names name and line.
 * On error *out is left empty; what was allocated stays in the arena. */

/* A YAML stream of zero or more documents ("---" separated). Empty documents (only
 * comments, or nothing between two "---") are skipped, as kubectl and kustomize do. */
int doc_parse_yaml(struct arena *a, const char *name, const char *data, size_t len,
		   const struct doc_limits *limits, struct doc_stream *out);

/* Exactly one JSON value (RFC 8259; numbers kept as text). */
int doc_parse_json(struct arena *a, const char *name, const char *data, size_t len,
		   const struct doc_limits *limits, struct doc_node **out);

/* JSON or YAML, by sniffing the first non-space byte ('{' or '[' means JSON; a JSON text
 * is also valid YAML, so this is for speed and exact number text, not correctness). */
int doc_parse_any(struct arena *a, const char *name, const char *data, size_t len,
		  const struct doc_limits *limits, struct doc_stream *out);

/* ---- Peeking --------------------------------------------------------------------------
 * A few string fields of one YAML document read straight from its text, for the block
 * style generators write (src/doc/yaml_peek.c says what it reads). true: the document is
 * valid YAML with a mapping at its root, and each field's value is what doc_parse_yaml
 * with duplicate_keys_last_wins reads there when that is a string (NULL when the key is
 * absent). false: parse the document instead; the peek met something it does not read, or
 * a requested field that is not a single-line string. The values are allocated in a. */
struct doc_peek_field {
	const char *path[4]; /* keys from the root; unused slots NULL */
	const char *value;
};
bool doc_yaml_peek(struct arena *a, const char *data, size_t len, struct doc_peek_field *fields,
		   size_t nfields);

/* ---- Emitting --------------------------------------------------------------------------
 * YAML as kubectl and kustomize print it: 2-space indent, block style, sequences inside a
 * mapping at the mapping's indentation ("- " under the key), strings quoted exactly when
 * Go's yaml.v3 would quote them (numbers, booleans including y/yes/on/off, null, ~,
 * timestamps, leading zeros, ": ", " #", leading indicators), multi-line strings as
 * "|" / "|-" blocks. */
enum doc_emit_flags {
	DOC_EMIT_DEFAULT = 0,
	DOC_EMIT_SORT_KEYS = 1 << 0,  /* keys in yaml.v2 order, as kubectl -o yaml and kustomize print */
	DOC_EMIT_NO_COMMENTS = 1 << 1,
	DOC_EMIT_NO_STYLE = 1 << 2,   /* ignore input styles (quotes, flow): choose afresh */
	/* scalars as a round trip through JSON leaves them, as kustomize prints resources:
	 * numbers in the form encoding/json and yaml.v2 give them (0755 -> 493, 1e3 -> 1000;
	 * scalar_json_number) */
	DOC_EMIT_JSON_SCALARS = 1 << 3,
};

/* Appends one document (no leading "---"). */
void doc_emit_yaml(struct buf *out, const struct doc_node *n, unsigned flags);
/* Appends documents separated by "---\n", as `kustomize build` prints a stream. */
void doc_emit_yaml_stream(struct buf *out, struct doc_node *const *docs, size_t len,
			  unsigned flags);
/* Compact JSON (no spaces) or, with indent > 0, pretty JSON with that many spaces. Numbers
 * are written as their text; a YAML-only float text (.inf, .nan) has no JSON form and is
 * written as a string. Map keys that are not strings are written as their text. */
void doc_emit_json(struct buf *out, const struct doc_node *n, int indent);

/* ---- Building and changing trees --------------------------------------------------------
 * All allocation is in a. Strings are copied. */
struct doc_node *doc_new(struct arena *a, enum doc_kind kind);
struct doc_node *doc_new_null(struct arena *a);
struct doc_node *doc_new_bool(struct arena *a, bool v);
struct doc_node *doc_new_int(struct arena *a, int64_t v);
struct doc_node *doc_new_str(struct arena *a, const char *s);
struct doc_node *doc_new_strn(struct arena *a, const char *s, size_t len);
/* A scalar resolved from YAML plain text as the YAML 1.2 core schema (what Go's yaml.v3
 * uses) would: "1" -> INT, "true" -> BOOL, "~" -> NULL, anything else -> STR. */
struct doc_node *doc_new_scalar_plain(struct arena *a, const char *s, size_t len);
struct doc_node *doc_new_map(struct arena *a);
struct doc_node *doc_new_seq(struct arena *a);

/* Deep copy of n into a (a may differ from n's arena). */
struct doc_node *doc_clone(struct arena *a, const struct doc_node *n);

/* Appends item to seq. */
void doc_seq_push(struct arena *a, struct doc_node *seq, struct doc_node *item);
/* Sets key to value in map: replaces the value in place if the key exists (keeping its
 * position), else appends. */
void doc_map_set(struct arena *a, struct doc_node *map, const char *key, struct doc_node *value);
/* doc_map_set without copying key: key must live as long as the tree (a string of the same
 * arena, or a static one). For a key set on many objects, e.g. a label on every object of a
 * build. */
void doc_map_set_shared(struct arena *a, struct doc_node *map, const char *key, struct doc_node *value);
/* Removes key from map; returns whether it was there. Order of the rest is kept. */
bool doc_map_delete(struct doc_node *map, const char *key);
/* The value of key in map, or NULL (also NULL when map is NULL or not a map). */
struct doc_node *doc_map_get(const struct doc_node *map, const char *key);
/* The value of key in map (a map) when it is of kind (DOC_MAP or DOC_SEQ); else a new empty
 * node of that kind, set in map in its place (replacing a value of another kind). For
 * "metadata", "status.conditions" and the like, created on first use. */
struct doc_node *doc_map_child(struct arena *a, struct doc_node *map, const char *key,
			       enum doc_kind kind);

/* ---- Paths -----------------------------------------------------------------------------
 * A path is dot-separated keys with [N] for sequence indexes: "metadata.name",
 * "spec.template.spec.containers[0].image". A key containing '.' or '[' is written with
 * a backslash before it: "metadata.annotations.fluxcd\.io/x". */

/* The node at path under root, or NULL. */
struct doc_node *doc_get(const struct doc_node *root, const char *path);
/* The string value at path, or NULL when missing or not a DOC_STR. */
const char *doc_get_str(const struct doc_node *root, const char *path);
/* Sets the node at path, creating mappings on the way (never sequences: an index past the
 * end is ERR_NOTFOUND). ERR_INVALID when a step meets a scalar. */
int doc_set(struct arena *a, struct doc_node *root, const char *path, struct doc_node *value);
/* Deletes the key or sequence item at path; ERR_NOTFOUND when it is not there. */
int doc_delete(struct doc_node *root, const char *path);

/* ---- Values ----------------------------------------------------------------------------*/

/* Deep equality of values (styles, comments and lines ignored; map key order ignored;
 * numbers compared as text after normalisation, so 1 and 1.0 differ as in Go). */
bool doc_equal(const struct doc_node *a, const struct doc_node *b);
/* The int64 value of a DOC_INT; ERR_INVALID when not an int or out of range. */
int doc_int64(const struct doc_node *n, int64_t *out);
/* "string", "integer", ... for messages. */
const char *doc_kind_name(enum doc_kind kind);

#endif
