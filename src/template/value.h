/*
 * Template values: what Go's text/template sees through reflect, as plain C. A value has a
 * kind and, where the kind alone does not say it, a Go type name, so that `typeOf`, `%T`,
 * `kindIs` and Go's comparison and assignment rules give Go's answers (an `int` from `len`
 * is not an `int64` from `--set`, a `[]string` from `splitList` is not a `[]interface {}`).
 *
 * Every value of one render lives in that render's arena (util/arena.h) and is freed with
 * it; nothing here frees. Values are shared by pointer as Go shares them: a map or a list
 * handed to a variable or a function is the same map or list, so `set` and `merge` change
 * it in place for everyone who holds it. Scalars are never changed after they are made.
 *
 * Maps keep insertion order internally but Go maps have none: everything that shows order
 * (range, printing, toYaml, keys) asks for tv_map_sorted(), byte order of the keys, as Go's
 * fmt and text/template sort them.
 */
#ifndef TIDE_TEMPLATE_VALUE_H
#define TIDE_TEMPLATE_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;
struct doc_node;
struct texec;
struct tfunc;

enum tv_kind {
	TV_INVALID, /* Go's zero reflect.Value: a missing map key, prints "<no value>" */
	TV_NIL,     /* a nil interface (JSON/YAML null, `nil`) */
	TV_BOOL,
	TV_INT,     /* int, int64, int32, int8, int16 (type says which; default "int") */
	TV_UINT,    /* uint, uint64, uint32, uint8 ... (default "uint") */
	TV_FLOAT,   /* float64, float32 (default "float64") */
	TV_STRING,
	TV_BYTES,   /* []uint8 (.Files.GetBytes) */
	TV_LIST,    /* a slice (default "[]interface {}") */
	TV_MAP,     /* a map with string keys (default "map[string]interface {}") */
	TV_OBJECT,  /* a Go struct or pointer with fields and methods, behind a method table */
	TV_FUNC,    /* a function value, for `call` */
};

struct tv;

struct tv_pair {
	const char *key; /* NUL-terminated */
	size_t keylen;
	struct tv *value;
};

struct tv_map {
	struct tv_pair *items; /* insertion order; deleted entries are removed, order kept */
	size_t len, cap;
	uint32_t *index;       /* open-addressing hash index (item position + 1), or NULL */
	size_t index_cap;
};

/*
 * A struct or pointer type seen through reflect: `.Release.Name`, `.Files.Get "x"`,
 * `.Capabilities.APIVersions.Has "v1"`, `(semver "1.2.3").Major`.
 */
struct tv_object_type {
	const char *name; /* Go type as %T prints it: "*chart.Metadata", "chartutil.Capabilities" */
	/*
	 * Resolves `.name` on self, a method (called with args) or a field (has_args false;
	 * a field given arguments is the caller's error). Returns 1 with *out set when found,
	 * 0 when self has no such field or method (the caller reports Go's "can't evaluate
	 * field"), or a negative ERR_* after texec_fail() for an error in a method call.
	 */
	int (*member)(struct texec *x, const struct tv *self, const char *name,
		      struct tv *const *args, size_t nargs, bool has_args, struct tv **out);
	/* The value as encoding/json marshals it (for toYaml, toJson, dig), in x's arena; NULL
	 * if it has no such form (then it marshals as {}). May be NULL. */
	struct tv *(*to_data)(struct texec *x, const struct tv *self);
	/* fmt's %v of the value; NULL prints to_data()'s %v, else "{}". */
	void (*format)(struct buf *out, const struct tv *self);
};

struct tv {
	uint8_t kind;     /* enum tv_kind */
	const char *type; /* Go type name; NULL means the kind's default (tv_type_name) */
	union {
		bool b;
		int64_t i;
		uint64_t u;
		double f;
		struct {
			const char *ptr; /* NUL-terminated (a string may also hold NUL bytes) */
			size_t len;
		} s; /* TV_STRING, TV_BYTES */
		struct {
			struct tv **items;
			size_t len, cap;
		} list;
		struct tv_map map;
		struct {
			const struct tv_object_type *ops;
			void *data;
		} obj;
		const struct tfunc *fn;
	} u;
};

/* Shared immutable values: the invalid value, nil, true, false. Never change them. */
extern struct tv tv_invalid_value, tv_nil_value, tv_true_value, tv_false_value;

/* ---- Making values (all in a; strings are copied) ---------------------------------- */
struct tv *tv_new(struct arena *a, enum tv_kind kind);
struct tv *tv_bool(bool b); /* the shared true/false */
struct tv *tv_int(struct arena *a, int64_t i);          /* Go int */
struct tv *tv_int_typed(struct arena *a, int64_t i, const char *type); /* "int64" ... */
struct tv *tv_uint(struct arena *a, uint64_t u, const char *type);
struct tv *tv_float(struct arena *a, double f);         /* float64 */
struct tv *tv_str(struct arena *a, const char *s);
struct tv *tv_strn(struct arena *a, const char *s, size_t len);
/* A string whose bytes are already in a (or static) and NUL-terminated: not copied. */
struct tv *tv_str_borrow(struct arena *a, const char *s, size_t len);
struct tv *tv_bytes(struct arena *a, const void *p, size_t len);
struct tv *tv_list(struct arena *a, size_t cap_hint);   /* []interface {} */
struct tv *tv_map_new(struct arena *a);                 /* map[string]interface {} */
struct tv *tv_object(struct arena *a, const struct tv_object_type *ops, void *data);

/* ---- Lists ---------------------------------------------------------------------- */
void tv_list_push(struct arena *a, struct tv *list, struct tv *item);

/* ---- Maps ----------------------------------------------------------------------- */
/* The value for key, or NULL when absent (a present key may hold TV_NIL). */
struct tv *tv_map_get(const struct tv *map, const char *key);
struct tv *tv_map_getn(const struct tv *map, const char *key, size_t keylen);
/* Sets key (copied into a unless it is already there) to value. */
void tv_map_set(struct arena *a, struct tv *map, const char *key, struct tv *value);
void tv_map_setn(struct arena *a, struct tv *map, const char *key, size_t keylen,
		 struct tv *value);
bool tv_map_delete(struct tv *map, const char *key);
/* The pairs sorted by key bytes, as Go's fmt and range order them; an array of map->len
 * pointers into the map, in a. */
struct tv_pair **tv_map_sorted(struct arena *a, const struct tv *map);

/* ---- Inspecting ----------------------------------------------------------------- */
/* Go's type name: v->type, else "int", "float64", "string", "bool", "[]interface {}",
 * "map[string]interface {}", "[]uint8", "<nil>" for TV_NIL and TV_INVALID. */
const char *tv_type_name(const struct tv *v);
/* reflect.Kind's name as sprig's kindOf gives it: "int", "int64", "float64", "string",
 * "bool", "slice", "map", "struct", "ptr", "func", "invalid" (for nil and invalid). */
const char *tv_kind_name(const struct tv *v);
/* Go's truth (text/template's `if`): false for invalid, nil, false, 0, 0.0, "", and empty
 * lists, maps and byte strings; true for objects and functions. */
bool tv_truth(const struct tv *v);
/* True for invalid and nil. */
bool tv_is_nil(const struct tv *v);
/* A deep copy of lists and maps (scalars and objects are shared), in a. */
struct tv *tv_deep_copy(struct arena *a, const struct tv *v);
/* reflect.DeepEqual: same type, same contents. */
bool tv_deep_equal(const struct tv *a, const struct tv *b);

/* ---- Between values and documents ---------------------------------------------- */
/*
 * A document tree as Helm's values see it after YAML -> JSON -> interface{}: mappings
 * become maps (keys as strings), sequences lists, numbers float64 (json.Unmarshal's
 * choice; integers too), booleans, null nil. yaml11: read plain scalars as YAML 1.1
 * (yes/no/on/off/y/n booleans, 0755 octal, sexagesimal not), as sigs.k8s.io/yaml does
 * for values files; a key that resolves to null is ERR_INVALID. ints_as_int64: integers
 * become int64 instead of float64 (for --set-json and fromYaml's callers that want that).
 */
enum {
	TV_FROM_DOC_YAML11 = 1 << 0,
	TV_FROM_DOC_INT64 = 1 << 1,
};
int tv_from_doc(struct arena *a, const struct doc_node *n, unsigned flags, struct tv **out);
/*
 * The value as encoding/json would marshal it, as a document tree in a (for toYaml,
 * toJson): maps with sorted keys, floats that are whole printed as integers (Go's
 * strconv 'g'-like JSON form: 1e+06 -> 1000000, 1.5 -> 1.5, 1e21 -> 1e+21), []byte as
 * base64, objects through their to_data. ERR_INVALID with json's message for values
 * json cannot marshal (functions, NaN, Inf).
 */
int tv_to_doc(struct texec *x, struct arena *a, const struct tv *v, struct doc_node **out);

#endif
