/*
 * sprig's dict functions (sprig v3.3 dict.go): dict, get, set, unset, hasKey, pluck, keys,
 * values, pick, omit, dig, merge/mergeOverwrite (dario.cat/mergo v1.0.1's map rules) and
 * deepCopy (copystructure).
 *
 * Maps are shared by pointer as Go shares them: set, unset and merge change the map they
 * are given, for every holder. keys and values come back in key order: Go's map order is
 * random and sprig's keys unordered, so any order is right and this one is reproducible.
 *
 * Helm's .Values is a named map type (common.Values in Helm v4): Go assigns it to sprig's
 * map[string]interface{} parameters, but dig's type assertion refuses it, as Helm v4 does.
 */
#include "template/sprig.h"
#include "template/sprig_text.h"
#include "template/template_int.h"

#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

/* A map parameter: NULL for a nil map (text/template passes the zero map for nil). */
static struct tv *map_arg(struct tv *v)
{
	return v && v->kind == TV_MAP ? v : NULL;
}

static struct tv *new_map(struct texec *x)
{
	struct tv *m = tv_map_new(texec_arena(x));
	m->type = "map[string]interface {}";
	return m;
}

/* dict K V ...: keys through strval; an odd last key maps to "". */
static int f_dict(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	struct arena *a = texec_arena(x);
	struct tv *m = new_map(x);
	for (size_t i = 0; i < nargs; i += 2) {
		struct buf k = BUF_INIT;
		sprig_strval(&k, args[i]);
		struct tv *v = i + 1 < nargs ? args[i + 1] : tv_str_borrow(a, "", 0);
		tv_map_setn(a, m, k.ptr, k.len, v);
		buf_release(&k);
	}
	*out = m;
	return 0;
}

static int f_get(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const struct tv *k = args[1];
	struct tv *v = tv_map_getn(map_arg(args[0]), k->u.s.ptr, k->u.s.len);
	*out = v ? v : tv_str_borrow(texec_arena(x), "", 0);
	return 0;
}

static int f_set(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct tv *m = map_arg(args[0]);
	if (!m)
		return texec_fail(x, "assignment to entry in nil map");
	tv_map_setn(texec_arena(x), m, args[1]->u.s.ptr, args[1]->u.s.len, args[2]);
	*out = m;
	return 0;
}

static int f_unset(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct tv *m = map_arg(args[0]);
	if (m)
		tv_map_delete(m, args[1]->u.s.ptr);
	*out = m ? m : new_map(x);
	return 0;
}

static int f_has_key(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)x;
	(void)nargs;
	*out = tv_bool(tv_map_getn(map_arg(args[0]), args[1]->u.s.ptr, args[1]->u.s.len) != NULL);
	return 0;
}

static int f_pluck(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	struct tv *l = tv_list(texec_arena(x), 0);
	for (size_t i = 1; i < nargs; i++) {
		struct tv *v = tv_map_getn(map_arg(args[i]), args[0]->u.s.ptr, args[0]->u.s.len);
		if (v)
			tv_list_push(texec_arena(x), l, v);
	}
	*out = l;
	return 0;
}

static int f_keys(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	struct arena *a = texec_arena(x);
	struct tv *l = tv_list(a, 0);
	l->type = "[]string";
	for (size_t i = 0; i < nargs; i++) {
		struct tv *m = map_arg(args[i]);
		if (!m)
			continue;
		struct tv_pair **sorted = tv_map_sorted(a, m);
		for (size_t j = 0; j < m->u.map.len; j++)
			tv_list_push(a, l, tv_str_borrow(a, sorted[j]->key, sorted[j]->keylen));
	}
	*out = l;
	return 0;
}

static int f_values(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct arena *a = texec_arena(x);
	struct tv *m = map_arg(args[0]);
	struct tv *l = tv_list(a, m ? m->u.map.len : 0);
	if (m) {
		struct tv_pair **sorted = tv_map_sorted(a, m);
		for (size_t j = 0; j < m->u.map.len; j++)
			tv_list_push(a, l, sorted[j]->value);
	}
	*out = l;
	return 0;
}

static int f_pick(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	struct tv *m = map_arg(args[0]);
	struct tv *res = new_map(x);
	for (size_t i = 1; i < nargs; i++) {
		struct tv *v = tv_map_getn(m, args[i]->u.s.ptr, args[i]->u.s.len);
		if (v)
			tv_map_setn(texec_arena(x), res, args[i]->u.s.ptr, args[i]->u.s.len, v);
	}
	*out = res;
	return 0;
}

static int f_omit(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	struct tv *m = map_arg(args[0]);
	struct tv *res = new_map(x);
	for (size_t i = 0; m && i < m->u.map.len; i++) {
		const struct tv_pair *p = &m->u.map.items[i];
		bool drop = false;
		for (size_t j = 1; j < nargs && !drop; j++)
			drop = args[j]->u.s.len == p->keylen &&
			       memcmp(args[j]->u.s.ptr, p->key, p->keylen) == 0;
		if (!drop)
			tv_map_setn(texec_arena(x), res, p->key, p->keylen, p->value);
	}
	*out = res;
	return 0;
}

/* Go's message for a failed x.(map[string]interface{}) on an interface{}. */
static bool is_plain_map(const struct tv *v)
{
	return v && v->kind == TV_MAP &&
	       (!v->type || strcmp(v->type, "map[string]interface {}") == 0);
}

static int assert_fail(struct texec *x, const struct tv *v, const char *want)
{
	return texec_fail(x, "interface conversion: interface {} is %s, not %s",
			  tv_is_nil(v) ? "nil" : tv_type_name(v), want);
}

/*
 * dig K1 K2 ... DEFAULT MAP: each key a string (a type assertion: anything else is Go's
 * interface conversion panic), the map and each step a plain map[string]interface{}, so
 * Helm's .Values (a named type) and a step that is a string fail as in Go.
 */
static int f_dig(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	if (nargs < 3)
		return texec_fail(x, "dig needs at least three arguments");
	const struct tv *m = args[nargs - 1];
	if (!is_plain_map(m))
		return assert_fail(x, m, "map[string]interface {}");
	struct tv *def = args[nargs - 2];
	size_t nkeys = nargs - 2;
	for (size_t i = 0; i < nkeys; i++)
		if (!args[i] || args[i]->kind != TV_STRING ||
		    (args[i]->type && strcmp(args[i]->type, "string") != 0))
			return assert_fail(x, args[i], "string");
	for (size_t i = 0; i < nkeys; i++) {
		struct tv *step = tv_map_getn(m, args[i]->u.s.ptr, args[i]->u.s.len);
		if (!step) {
			*out = def;
			return 0;
		}
		if (i + 1 == nkeys) {
			*out = step;
			return 0;
		}
		if (!is_plain_map(step))
			return assert_fail(x, step, "map[string]interface {}");
		m = step;
	}
	*out = def;
	return 0;
}

/*
 * mergo's deepMerge of one map into another, as it runs for map[string]interface{}
 * (Merge, and MergeWithOverwrite when overwrite): for each source key
 *  - a nil source value replaces only when overwriting;
 *  - a map merges into the destination's map in place (when the destination has one), and
 *    a non-empty destination map is then kept;
 *  - a list replaces the destination only when overwriting or when the destination is
 *    empty (mergo compares the emptiness of the maps there, not of the values; the net
 *    effect is the same);
 *  - anything else, and the cases above that fall through, is set when overwriting, or
 *    when the destination has no value or an empty one (nil, false, 0, "", [], {}).
 * So Merge fills holes and mergeOverwrite overwrites even with "", 0 and false.
 */
static int merge_into(struct texec *x, struct tv *dst, const struct tv *src, bool overwrite,
		      int depth)
{
	if (depth > 10000)
		return texec_failc(x, ERR_TOOBIG, "merge: maps nested past 10000 levels");
	struct arena *a = texec_arena(x);
	for (size_t i = 0; i < src->u.map.len; i++) {
		const struct tv_pair *p = &src->u.map.items[i];
		struct tv *s = p->value;
		struct tv *d = tv_map_getn(dst, p->key, p->keylen);
		if (tv_is_nil(s)) {
			if (overwrite)
				tv_map_setn(a, dst, p->key, p->keylen, &tv_nil_value);
			continue;
		}
		if (s->kind == TV_MAP && d && d->kind == TV_MAP && d != s) {
			int rc = merge_into(x, d, s, overwrite, depth + 1);
			if (rc)
				return rc;
		}
		if (s->kind == TV_LIST) {
			struct tv *keep = d && !tv_is_nil(d) ? d : s;
			if (overwrite)
				keep = s;
			tv_map_setn(a, dst, p->key, p->keylen, keep);
		}
		if (d && !sprig_empty(d)) {
			if (s->kind == TV_LIST)
				continue;
			if (s->kind == TV_MAP && d->kind == TV_MAP)
				continue;
		}
		if (overwrite || !d || sprig_empty(d))
			tv_map_setn(a, dst, p->key, p->keylen, s);
	}
	return 0;
}

static int do_merge(struct texec *x, struct tv *const *args, size_t nargs, bool overwrite,
		    struct tv **out)
{
	struct tv *dst = map_arg(args[0]);
	for (size_t i = 1; i < nargs; i++) {
		struct tv *src = map_arg(args[i]);
		if (!src)
			continue;
		if (!dst)
			dst = new_map(x); /* mergo makes the nil destination a map */
		int rc = merge_into(x, dst, src, overwrite, 0);
		if (rc)
			return rc;
	}
	*out = dst ? dst : new_map(x);
	return 0;
}

static int f_merge(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	return do_merge(x, args, nargs, false, out);
}

static int f_merge_overwrite(struct texec *x, struct tv *const *args, size_t nargs,
			     struct tv **out)
{
	return do_merge(x, args, nargs, true, out);
}

/* deepCopy: copystructure copies maps and lists and keeps their types; nil is reflect's
 * panic on the zero Value. */
static int f_deep_copy(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	if (tv_is_nil(args[0]))
		return texec_fail(x, "reflect: call of reflect.Value.Type on zero Value");
	*out = tv_deep_copy(texec_arena(x), args[0]);
	return 0;
}

static const struct tfunc funcs[] = {
	{"dict", f_dict, "a*", "m"},
	{"get", f_get, "ms", "a"},
	{"set", f_set, "msa", "me"},
	{"unset", f_unset, "ms", "m"},
	{"hasKey", f_has_key, "ms", "b"},
	{"pluck", f_pluck, "sm*", "l"},
	{"keys", f_keys, "m*", "S"},
	{"pick", f_pick, "ms*", "m"},
	{"omit", f_omit, "ms*", "m"},
	{"merge", f_merge, "mm*", "ae"},
	{"mergeOverwrite", f_merge_overwrite, "mm*", "ae"},
	{"mustMerge", f_merge, "mm*", "ae"},
	{"mustMergeOverwrite", f_merge_overwrite, "mm*", "ae"},
	{"values", f_values, "m", "l"},
	{"dig", f_dig, "a*", "ae"},
	{"deepCopy", f_deep_copy, "a", "ae"},
	{"mustDeepCopy", f_deep_copy, "a", "ae"},
};

const struct tfunc_table tfuncs_sprig_dicts = {funcs, sizeof(funcs) / sizeof(funcs[0])};
