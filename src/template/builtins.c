/*
 * Go's text/template builtins (funcs.go) with Go's exact semantics and messages: not, len,
 * index, slice, eq/ne/lt/le/gt/ge (basic kinds, the int/uint special case, "incompatible
 * types for comparison"), print/printf/println (template/fmt.c), html, js, urlquery and
 * call. and/or are evaluated by exec.c, which alone can skip arguments. Each sees its
 * arguments as reflect.Values (struct xv), so the interface{} wrapper of a container's
 * element shows where Go shows it.
 */
#include "template/exec_int.h"

#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/utf8.h"
#include "util/banned.h"

static const struct tbuiltin builtins[] = {
	{ "and", TB_AND, "rr*" },
	{ "call", TB_CALL, "rr*" },
	{ "eq", TB_EQ, "rr*" },
	{ "ge", TB_GE, "rr" },
	{ "gt", TB_GT, "rr" },
	{ "html", TB_HTML, "a*" },
	{ "index", TB_INDEX, "rr*" },
	{ "js", TB_JS, "a*" },
	{ "le", TB_LE, "rr" },
	{ "len", TB_LEN, "r" },
	{ "lt", TB_LT, "rr" },
	{ "ne", TB_NE, "rr" },
	{ "not", TB_NOT, "r" },
	{ "or", TB_OR, "rr*" },
	{ "print", TB_PRINT, "a*" },
	{ "printf", TB_PRINTF, "sa*" },
	{ "println", TB_PRINTLN, "a*" },
	{ "slice", TB_SLICE, "rr*" },
	{ "urlquery", TB_URLQUERY, "a*" },
};

const struct tbuiltin *tbuiltin_find(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(*builtins); i++)
		if (strcmp(builtins[i].name, name) == 0)
			return &builtins[i];
	return NULL;
}

static const char *builtin_name(int id)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(*builtins); i++)
		if (builtins[i].id == id)
			return builtins[i].name;
	return "?";
}

bool tbuiltin_truth(struct xv a)
{
	return tv_truth(xv_strip(a).v);
}

static struct xv xv_of(struct tv *v)
{
	return (struct xv){ v, false };
}

/* Objects seen as their data (Helm's .Files is a map in Go). */
static struct tv *as_data(struct texec *x, struct tv *v)
{
	for (int i = 0; v->kind == TV_OBJECT && i < 4; i++) {
		struct tv *d = v->u.obj.ops->to_data ? v->u.obj.ops->to_data(x, v) : NULL;
		if (!d)
			break;
		v = d;
	}
	return v;
}

/* ---- len, index, slice --------------------------------------------------------------- */

static int b_len(struct texec *x, struct xv a, struct xv *out)
{
	if (a.iface && a.v->kind == TV_NIL)
		return texec_fail(x, "len of nil pointer");
	if (xv_invalid(a))
		return texec_fail(x, "reflect: call of reflect.Value.Type on zero Value");
	struct tv *v = as_data(x, a.v);
	size_t n;
	switch ((enum tv_kind)v->kind) {
	case TV_STRING:
	case TV_BYTES: n = v->u.s.len; break;
	case TV_LIST: n = v->u.list.len; break;
	case TV_MAP: n = v->u.map.len; break;
	default: return texec_fail(x, "len of type %s", tv_type_name(a.v));
	}
	*out = xv_of(tv_int(texec_arena(x), (int64_t)n));
	return 0;
}

/* Go's indexArg: an integer index in [0, cap]. */
static int index_arg(struct texec *x, struct xv i, size_t cap, int64_t *out)
{
	int64_t v;
	if (i.iface)
		return texec_fail(x, "cannot index slice/array with type interface {}");
	if (xv_invalid(i))
		return texec_fail(x, "cannot index slice/array with nil");
	if (i.v->kind == TV_INT)
		v = i.v->u.i;
	else if (i.v->kind == TV_UINT)
		v = (int64_t)i.v->u.u;
	else
		return texec_fail(x, "cannot index slice/array with type %s", tv_type_name(i.v));
	if (v < 0 || (uint64_t)v > cap)
		return texec_fail(x, "index out of range: %lld", (long long)v);
	*out = v;
	return 0;
}

static int b_index(struct texec *x, struct xv *args, size_t n, struct xv *out)
{
	struct arena *a = texec_arena(x);
	struct xv item = xv_strip(args[0]);
	if (xv_invalid(item))
		return texec_fail(x, "index of untyped nil");
	for (size_t k = 1; k < n; k++) {
		struct xv idx = xv_strip(args[k]);
		if (item.iface && item.v->kind == TV_NIL)
			return texec_fail(x, "index of nil pointer");
		item.iface = false;
		struct tv *v = as_data(x, item.v);
		int64_t i;
		int rc;
		switch ((enum tv_kind)v->kind) {
		case TV_LIST:
		case TV_STRING:
		case TV_BYTES: {
			size_t len = v->kind == TV_LIST ? v->u.list.len : v->u.s.len;
			if ((rc = index_arg(x, idx, len, &i)))
				return rc;
			if ((size_t)i == len)
				return texec_fail(x, "reflect: %s index out of range",
						  v->kind == TV_STRING ? "string" : "slice");
			if (v->kind == TV_LIST) {
				item = (struct xv){ v->u.list.items[i], xv_elem_iface(v) };
				if (!item.iface && item.v->kind == TV_NIL)
					item.v = &tv_invalid_value;
			} else {
				item = xv_of(tv_uint(a, (unsigned char)v->u.s.ptr[i], "uint8"));
			}
			break;
		}
		case TV_MAP: {
			if (xv_invalid(idx))
				return texec_fail(x, "value is nil; should be of type string");
			if (idx.v->kind != TV_STRING || (idx.v->type && strcmp(idx.v->type, "string")))
				return texec_fail(x, "value has type %s; should be string",
						  tv_type_name(idx.v));
			struct tv *r = tv_map_getn(v, idx.v->u.s.ptr, idx.v->u.s.len);
			bool ei = xv_elem_iface(v);
			if (r)
				item = (struct xv){ r, ei };
			else if (!ei && v->type && strcmp(v->type, "map[string]string") == 0)
				item = xv_of(tv_str(a, ""));
			else
				item = (struct xv){ &tv_nil_value, true };
			if (!item.iface && item.v->kind == TV_NIL)
				item.v = &tv_invalid_value;
			break;
		}
		default:
			return texec_fail(x, "can't index item of type %s", tv_type_name(item.v));
		}
	}
	*out = item;
	return 0;
}

static int b_slice(struct texec *x, struct xv *args, size_t n, struct xv *out)
{
	struct arena *a = texec_arena(x);
	struct xv item = xv_strip(args[0]);
	if (xv_invalid(item))
		return texec_fail(x, "slice of untyped nil");
	if (n - 1 > 3)
		return texec_fail(x, "too many slice indexes: %zu", n - 1);
	struct tv *v = item.v;
	size_t cap;
	switch ((enum tv_kind)v->kind) {
	case TV_STRING:
		if (n - 1 == 3)
			return texec_fail(x, "cannot 3-index slice a string");
		cap = v->u.s.len;
		break;
	case TV_BYTES: cap = v->u.s.len; break;
	case TV_LIST: cap = v->u.list.len; break;
	default: return texec_fail(x, "can't slice item of type %s", tv_type_name(v));
	}
	int64_t idx[3] = { 0, (int64_t)cap, (int64_t)cap };
	for (size_t k = 1; k < n; k++) {
		int rc = index_arg(x, args[k], cap, &idx[k - 1]);
		if (rc)
			return rc;
	}
	if (idx[0] > idx[1])
		return texec_fail(x, "invalid slice index: %lld > %lld", (long long)idx[0],
				  (long long)idx[1]);
	if (n - 1 == 3 && idx[1] > idx[2])
		return texec_fail(x, "invalid slice index: %lld > %lld", (long long)idx[1],
				  (long long)idx[2]);
	size_t lo = (size_t)idx[0], hi = (size_t)idx[1];
	struct tv *r;
	if (v->kind == TV_LIST) {
		r = tv_list(a, hi - lo);
		for (size_t i = lo; i < hi; i++)
			r->u.list.items[i - lo] = v->u.list.items[i];
		r->u.list.len = hi - lo;
	} else if (v->kind == TV_BYTES) {
		r = tv_bytes(a, v->u.s.ptr + lo, hi - lo);
	} else {
		r = tv_strn(a, v->u.s.ptr + lo, hi - lo);
	}
	r->type = v->type;
	*out = xv_of(r);
	return 0;
}

/* ---- Comparison ---------------------------------------------------------------------- */

enum bkind { K_INVALID, K_BOOL, K_INT, K_FLOAT, K_STRING, K_UINT };

static enum bkind basic_kind(const struct tv *v)
{
	switch ((enum tv_kind)v->kind) {
	case TV_BOOL: return K_BOOL;
	case TV_INT: return K_INT;
	case TV_UINT: return K_UINT;
	case TV_FLOAT: return K_FLOAT;
	case TV_STRING: return K_STRING;
	default: return K_INVALID;
	}
}

/* reflect.Kind, for canCompare: lists and byte strings are both slices. */
static int reflect_kind(const struct tv *v)
{
	switch ((enum tv_kind)v->kind) {
	case TV_INVALID:
	case TV_NIL: return 0;
	case TV_BYTES:
	case TV_LIST: return TV_LIST;
	case TV_OBJECT: return v->u.obj.ops->name[0] == '*' ? 100 : 101;
	default: return v->kind;
	}
}

static bool comparable(const struct tv *v)
{
	return v->kind != TV_LIST && v->kind != TV_MAP && v->kind != TV_BYTES && v->kind != TV_FUNC;
}

static const char *fmt_s(struct texec *x, struct tv *v)
{
	struct buf b = BUF_INIT;
	tfmt_sprintf(&b, "%s", 2, &v, 1);
	char *s = arena_strndup(texec_arena(x), b.ptr, b.len);
	buf_release(&b);
	return s;
}

static const char *fmt_v(struct texec *x, struct tv *v)
{
	struct buf b = BUF_INIT;
	tfmt_value(&b, v);
	char *s = arena_strndup(texec_arena(x), b.ptr, b.len);
	buf_release(&b);
	return s;
}

static int b_eq(struct texec *x, struct xv *args, size_t n, bool *out)
{
	struct xv a1 = xv_strip(args[0]);
	if (n < 2)
		return texec_fail(x, "missing argument for comparison");
	enum bkind k1 = basic_kind(a1.v);
	for (size_t i = 1; i < n; i++) {
		struct xv a = xv_strip(args[i]);
		enum bkind k2 = basic_kind(a.v);
		bool t = false;
		const struct tv *p = a1.v, *q = a.v;
		if (k1 != k2) {
			if (k1 == K_INT && k2 == K_UINT)
				t = p->u.i >= 0 && (uint64_t)p->u.i == q->u.u;
			else if (k1 == K_UINT && k2 == K_INT)
				t = q->u.i >= 0 && p->u.u == (uint64_t)q->u.i;
			else if (!xv_invalid(a1) && !xv_invalid(a))
				return texec_fail(x, "incompatible types for comparison: %s and %s",
						  tv_type_name(p), tv_type_name(q));
		} else {
			switch (k1) {
			case K_BOOL: t = p->u.b == q->u.b; break;
			case K_FLOAT: t = p->u.f == q->u.f; break;
			case K_INT: t = p->u.i == q->u.i; break;
			case K_UINT: t = p->u.u == q->u.u; break;
			case K_STRING:
				t = p->u.s.len == q->u.s.len && memcmp(p->u.s.ptr, q->u.s.ptr, p->u.s.len) == 0;
				break;
			case K_INVALID: {
				int r1 = reflect_kind(p), r2 = reflect_kind(q);
				if (r1 != r2 && r1 != 0 && r2 != 0)
					return texec_fail(x, "non-comparable types %s: %s, %s: %s",
							  fmt_s(x, a1.v), tv_type_name(p), tv_type_name(q),
							  fmt_v(x, a.v));
				if (xv_invalid(a1) || xv_invalid(a)) {
					t = xv_invalid(a1) && xv_invalid(a);
				} else {
					if (!comparable(q))
						return texec_fail(x, "non-comparable type %s: %s",
								  fmt_s(x, a.v), tv_type_name(q));
					t = tv_deep_equal(p, q) && strcmp(tv_type_name(p), tv_type_name(q)) == 0;
				}
				break;
			}
			}
		}
		if (t) {
			*out = true;
			return 0;
		}
	}
	*out = false;
	return 0;
}

static int b_lt(struct texec *x, struct xv a1, struct xv a2, bool *out)
{
	a1 = xv_strip(a1);
	a2 = xv_strip(a2);
	enum bkind k1 = basic_kind(a1.v), k2 = basic_kind(a2.v);
	if (k1 == K_INVALID || k2 == K_INVALID)
		return texec_fail(x, "invalid type for comparison");
	const struct tv *p = a1.v, *q = a2.v;
	bool t = false;
	if (k1 != k2) {
		if (k1 == K_INT && k2 == K_UINT)
			t = p->u.i < 0 || (uint64_t)p->u.i < q->u.u;
		else if (k1 == K_UINT && k2 == K_INT)
			t = q->u.i >= 0 && p->u.u < (uint64_t)q->u.i;
		else
			return texec_fail(x, "incompatible types for comparison: %s and %s",
					  tv_type_name(p), tv_type_name(q));
	} else {
		switch (k1) {
		case K_BOOL: return texec_fail(x, "invalid type for comparison");
		case K_FLOAT: t = p->u.f < q->u.f; break;
		case K_INT: t = p->u.i < q->u.i; break;
		case K_UINT: t = p->u.u < q->u.u; break;
		case K_STRING: {
			size_t m = p->u.s.len < q->u.s.len ? p->u.s.len : q->u.s.len;
			int c = memcmp(p->u.s.ptr, q->u.s.ptr, m);
			t = c < 0 || (c == 0 && p->u.s.len < q->u.s.len);
			break;
		}
		case K_INVALID: break;
		}
	}
	*out = t;
	return 0;
}

/* ---- Escapers ------------------------------------------------------------------------ */

/* Go's evalArgs: one string as it is, else fmt.Sprint with "<no value>" for nil. */
static void eval_args(struct texec *x, struct xv *args, size_t n, struct buf *out)
{
	if (n == 1 && args[0].v->kind == TV_STRING &&
	    (!args[0].v->type || strcmp(args[0].v->type, "string") == 0)) {
		buf_add(out, args[0].v->u.s.ptr, args[0].v->u.s.len);
		return;
	}
	struct tv **v = arena_alloc8(texec_arena(x), (n ? n : 1) * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		v[i] = args[i].v;
		if (tv_is_nil(v[i]))
			v[i] = tv_str_borrow(texec_arena(x), "<no value>", 10);
	}
	tfmt_sprint(out, v, n);
}

static void html_escape(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '\0': buf_adds(out, "\xef\xbf\xbd"); break;
		case '"': buf_adds(out, "&#34;"); break;
		case '\'': buf_adds(out, "&#39;"); break;
		case '&': buf_adds(out, "&amp;"); break;
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		default: buf_addch(out, s[i]);
		}
	}
}

/* unicode.IsPrint for a code point past ASCII, close enough: letters, marks, numbers,
 * punctuation and symbols are; controls, format characters, separators other than
 * U+0020, surrogates, private use and noncharacters are not. */
static bool is_print(uint32_t r)
{
	if (r < 0xa0)
		return false;
	if (r == 0xa0 || r == 0xad || r == 0x1680 || (r >= 0x2000 && r <= 0x200f) ||
	    (r >= 0x2028 && r <= 0x202f) || (r >= 0x205f && r <= 0x206f) || r == 0x3000 ||
	    r == 0xfeff || (r >= 0xfff9 && r <= 0xfffb) || r == 0x061c || r == 0x180e)
		return false;
	if ((r >= 0xd800 && r <= 0xf8ff) || (r >= 0xfdd0 && r <= 0xfdef) || (r & 0xfffe) == 0xfffe)
		return false;
	if (r >= 0xf0000 || (r >= 0xe0000 && r <= 0xe0fff))
		return false;
	return true;
}

static void js_escape(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			switch (c) {
			case '\\': buf_adds(out, "\\\\"); continue;
			case '\'': buf_adds(out, "\\'"); continue;
			case '"': buf_adds(out, "\\\""); continue;
			case '<': buf_adds(out, "\\u003C"); continue;
			case '>': buf_adds(out, "\\u003E"); continue;
			case '&': buf_adds(out, "\\u0026"); continue;
			case '=': buf_adds(out, "\\u003D"); continue;
			default: break;
			}
			if (c < ' ') {
				buf_adds(out, "\\u00");
				buf_addch(out, hex[c >> 4]);
				buf_addch(out, hex[c & 15]);
			} else {
				buf_addch(out, (char)c);
			}
			continue;
		}
		size_t k = utf8_valid_prefix(s + i, n - i);
		if (k == 0) {
			/* utf8.DecodeRune's RuneError is printable: the byte goes out as it is. */
			buf_addch(out, (char)c);
			continue;
		}
		uint32_t r = utf8_decode(s + i, k);
		if (is_print(r))
			buf_add(out, s + i, k);
		else
			buf_addf(out, "\\u%04X", r);
		i += k - 1;
	}
}

static void url_query_escape(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_addch(out, (char)c);
		} else if (c == ' ') {
			buf_addch(out, '+');
		} else {
			buf_addch(out, '%');
			buf_addch(out, hex[c >> 4]);
			buf_addch(out, hex[c & 15]);
		}
	}
}

/* ---- call ---------------------------------------------------------------------------- */

static bool assignable_code(const struct tv *v, char code)
{
	const char *t = v->type;
	switch (code) {
	case 's': return v->kind == TV_STRING && (!t || !strcmp(t, "string"));
	case 'i': return v->kind == TV_INT && (!t || !strcmp(t, "int"));
	case 'I': return v->kind == TV_INT && t && !strcmp(t, "int64");
	case 'f': return v->kind == TV_FLOAT && (!t || !strcmp(t, "float64"));
	case 'b': return v->kind == TV_BOOL && (!t || !strcmp(t, "bool"));
	case 'l': return v->kind == TV_LIST && (!t || !strcmp(t, "[]interface {}") || strncmp(t, "[]", 2));
	case 'm':
		return v->kind == TV_MAP &&
		       (!t || !strcmp(t, "map[string]interface {}") || strncmp(t, "map[", 4));
	case 'S': return v->kind == TV_LIST && t && !strcmp(t, "[]string");
	default: return true;
	}
}

static int b_call(struct texec *x, const char *callee, struct xv *args, size_t n,
		  struct xv *out)
{
	struct arena *a = texec_arena(x);
	struct xv fn = xv_strip(args[0]);
	if (xv_invalid(fn))
		return texec_fail(x, "call of nil");
	if (fn.v->kind != TV_FUNC || !fn.v->u.fn)
		return texec_fail(x, "non-function %s of type %s", callee, tv_type_name(fn.v));
	const struct tfunc *f = fn.v->u.fn;
	const char *p = f->params ? f->params : "";
	size_t np = 0;
	bool variadic = false;
	for (const char *c = p; *c; c++) {
		if (*c == '*')
			variadic = true;
		else
			np++;
	}
	size_t nargs = n - 1;
	if (variadic && nargs < np - 1)
		return texec_fail(x, "wrong number of args for %s: got %zu want at least %zu", callee,
				  nargs, np - 1);
	if (!variadic && nargs != np)
		return texec_fail(x, "wrong number of args for %s: got %zu want %zu", callee, nargs, np);
	struct tv **argv = arena_alloc8(a, (nargs ? nargs : 1) * sizeof(*argv));
	for (size_t i = 0; i < nargs; i++) {
		char code = np ? p[i < np ? i : np - 1] : 'a';
		struct xv v = xv_strip(args[i + 1]);
		if (xv_invalid(v)) {
			if (code != 'a' && code != 'l' && code != 'm' && code != 'S')
				return texec_fail(x, "arg %zu: value is nil; should be of type %s", i,
						  tparam_type_name(code));
			argv[i] = code == 'l' || code == 'S' ? tv_list(a, 0)
				  : code == 'm'              ? tv_map_new(a)
							     : &tv_nil_value;
			if (code == 'S')
				argv[i]->type = "[]string";
			continue;
		}
		if (!assignable_code(v.v, code)) {
			/* Go converts between integer types here (prepareArg). */
			if ((code == 'i' || code == 'I') && (v.v->kind == TV_INT || v.v->kind == TV_UINT)) {
				int64_t iv = v.v->kind == TV_INT ? v.v->u.i : (int64_t)v.v->u.u;
				argv[i] = code == 'I' ? tv_int_typed(a, iv, "int64") : tv_int(a, iv);
				continue;
			}
			return texec_fail(x, "arg %zu: value has type %s; should be %s", i,
					  tv_type_name(v.v), tparam_type_name(code));
		}
		argv[i] = v.v;
	}
	x->code = 0;
	buf_reset(&x->message);
	struct tv *res = NULL;
	int rc = f->impl(x, argv, nargs, &res);
	if (rc < 0) {
		if (!x->code)
			texec_failc(x, rc, "%s", err_msg());
		return rc;
	}
	char rcode = f->result && f->result[0] ? f->result[0] : 'a';
	if (!res)
		res = &tv_nil_value;
	*out = (struct xv){ res, rcode == 'a' };
	return 0;
}

/* ---- Dispatch ------------------------------------------------------------------------ */

int tbuiltin_call(struct texec *x, int id, const char *callee, struct xv *args, size_t n,
		  struct xv *out)
{
	struct arena *a = texec_arena(x);
	bool t = false;
	int rc;
	struct buf b;
	buf_init(&b, x->max_value);
	struct tv **v;
	switch (id) {
	case TB_NOT:
		*out = xv_of(tv_bool(!tbuiltin_truth(args[0])));
		return 0;
	case TB_LEN: return b_len(x, args[0], out);
	case TB_INDEX: return b_index(x, args, n, out);
	case TB_SLICE: return b_slice(x, args, n, out);
	case TB_EQ:
	case TB_NE:
		if ((rc = b_eq(x, args, n, &t)))
			return rc;
		*out = xv_of(tv_bool(id == TB_EQ ? t : !t));
		return 0;
	case TB_LT:
	case TB_GE:
		if ((rc = b_lt(x, args[0], args[1], &t)))
			return rc;
		*out = xv_of(tv_bool(id == TB_LT ? t : !t));
		return 0;
	case TB_LE:
	case TB_GT: {
		if ((rc = b_lt(x, args[0], args[1], &t)))
			return rc;
		if (!t) {
			struct xv pair[2] = { args[0], args[1] };
			if ((rc = b_eq(x, pair, 2, &t)))
				return rc;
		}
		*out = xv_of(tv_bool(id == TB_LE ? t : !t));
		return 0;
	}
	case TB_PRINT:
	case TB_PRINTLN:
	case TB_PRINTF:
		v = arena_alloc8(a, (n ? n : 1) * sizeof(*v));
		for (size_t i = 0; i < n; i++)
			v[i] = tv_is_nil(args[i].v) ? &tv_nil_value : args[i].v;
		if (id == TB_PRINT)
			tfmt_sprint(&b, v, n);
		else if (id == TB_PRINTLN)
			tfmt_sprintln(&b, v, n);
		else
			tfmt_sprintf(&b, v[0]->u.s.ptr, v[0]->u.s.len, v + 1, n - 1);
		break;
	case TB_HTML:
	case TB_JS:
	case TB_URLQUERY: {
		struct buf s;
		buf_init(&s, x->max_value);
		eval_args(x, args, n, &s);
		if (id == TB_HTML)
			html_escape(&b, s.ptr, s.len);
		else if (id == TB_JS)
			js_escape(&b, s.ptr, s.len);
		else
			url_query_escape(&b, s.ptr, s.len);
		buf_release(&s);
		break;
	}
	case TB_CALL: return b_call(x, callee, args, n, out);
	default: return texec_fail(x, "unknown builtin");
	}
	if (b.err) {
		buf_release(&b);
		return texec_failc(x, ERR_TOOBIG, "template: the result of %s exceeds the limit of %zu bytes",
				   builtin_name(id), x->max_value);
	}
	*out = xv_of(tv_strn(a, b.ptr, b.len));
	buf_release(&b);
	return 0;
}
