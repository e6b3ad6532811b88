/* Flux's post-build ${var} substitution; see varsub.h. */
#include "kustomize/varsub.h"

#include <string.h>

#include "doc/doc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define DISABLE_KEY "kustomize.toolkit.fluxcd.io/substitute"
/* Nested defaults recurse; a cap keeps hostile input from exhausting the stack. */
#define MAX_DEPTH 64

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool varsub_valid_name(const char *name)
{
	if (!name || !is_alpha(name[0]))
		return false;
	for (const char *p = name + 1; *p; p++)
		if (!is_alpha(*p) && !is_digit(*p))
			return false;
	return true;
}

static const char *lookup(const struct varsub_vars *vars, const char *name, size_t n)
{
	for (size_t i = vars ? vars->len : 0; i-- > 0;) {
		const char *v = vars->v[i].name;
		if (v && strlen(v) == n && memcmp(v, name, n) == 0)
			return vars->v[i].value ? vars->v[i].value : "";
	}
	return NULL;
}

static int eval(const char *in, size_t len, const struct varsub_vars *vars, struct buf *out,
		int depth);

/* Parses an optionally negative decimal integer of in[0..n) fully. */
static bool parse_int(const char *s, size_t n, long *out)
{
	bool neg = false;
	size_t i = 0;
	while (i < n && s[i] == ' ')
		i++;
	if (i < n && s[i] == '-') {
		neg = true;
		i++;
	}
	if (i == n)
		return false;
	long v = 0;
	for (; i < n; i++) {
		if (!is_digit(s[i]) || v > 100000000)
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return true;
}

static void replace(struct buf *out, const char *val, const char *pat, size_t pn, const char *rep,
		    size_t rn, char mode)
{
	size_t vn = strlen(val);
	if (pn == 0 || pn > vn) {
		buf_adds(out, val);
		return;
	}
	if (mode == '#' || mode == '%') {
		const char *at = mode == '#' ? val : val + vn - pn;
		if (memcmp(at, pat, pn) != 0) {
			buf_adds(out, val);
			return;
		}
		if (mode == '#') {
			buf_add(out, rep, rn);
			buf_add(out, val + pn, vn - pn);
		} else {
			buf_add(out, val, vn - pn);
			buf_add(out, rep, rn);
		}
		return;
	}
	bool done = false;
	for (size_t i = 0; i < vn;) {
		if (!done && i + pn <= vn && memcmp(val + i, pat, pn) == 0) {
			buf_add(out, rep, rn);
			i += pn;
			done = mode != '/'; /* "/" (after the first) means all */
			continue;
		}
		buf_addch(out, val[i++]);
	}
}

static void change_case(struct buf *out, const char *val, bool upper, bool all)
{
	for (size_t i = 0; val[i]; i++) {
		char c = val[i];
		if (i == 0 || all) {
			if (upper && c >= 'a' && c <= 'z')
				c = (char)(c - 'a' + 'A');
			else if (!upper && c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
		}
		buf_addch(out, c);
	}
}

/* One ${...} body (without the braces). */
static int expand(const char *b, size_t n, const struct varsub_vars *vars, struct buf *out,
		  int depth)
{
	bool length = n > 0 && b[0] == '#';
	size_t i = length ? 1 : 0, name_at = i;
	while (i < n && (is_alpha(b[i]) || is_digit(b[i])))
		i++;
	size_t nn = i - name_at;
	if (nn == 0)
		return err_set(ERR_INVALID, "bad substitution: '${%.*s}'", (int)(n > 60 ? 60 : n), b);
	const char *name = b + name_at, *val = lookup(vars, name, nn);
	const char *op = b + i;
	size_t on = n - i;

	if (length) {
		if (on)
			return err_set(ERR_INVALID, "bad substitution: '${%.*s}'", (int)(n > 60 ? 60 : n), b);
		if (!val && vars && vars->strict)
			return err_set(ERR_INVALID, "variable not set (strict mode): \"%.*s\"", (int)nn, name);
		buf_addf(out, "%zu", val ? strlen(val) : 0);
		return 0;
	}
	/* Defaults and alternatives: the word is itself evaluated, and only when used. */
	if (on >= 1 && (op[0] == '=' || op[0] == '-' || op[0] == '+' ||
			(on >= 2 && op[0] == ':' && (op[1] == '=' || op[1] == '-' || op[1] == '+')))) {
		bool colon = op[0] == ':';
		char kind = op[colon ? 1 : 0];
		const char *w = op + (colon ? 2 : 1);
		size_t wn = on - (size_t)(colon ? 2 : 1);
		bool set = val && (!colon || val[0]);
		if (kind == '+')
			return set ? eval(w, wn, vars, out, depth + 1) : 0;
		if (set) {
			buf_adds(out, val);
			return 0;
		}
		return eval(w, wn, vars, out, depth + 1);
	}
	if (!val && vars && vars->strict)
		return err_set(ERR_INVALID, "variable not set (strict mode): \"%.*s\"", (int)nn, name);
	if (!val)
		val = "";
	if (on == 0) {
		buf_adds(out, val);
		return 0;
	}
	switch (op[0]) {
	case ':': {
		const char *colon = memchr(op + 1, ':', on - 1);
		long pos, cnt = -1;
		size_t vn = strlen(val);
		if (!parse_int(op + 1, colon ? (size_t)(colon - op - 1) : on - 1, &pos) ||
		    (colon && !parse_int(colon + 1, on - (size_t)(colon - op) - 1, &cnt)))
			return err_set(ERR_INVALID, "bad substitution: '${%.*s}'", (int)(n > 60 ? 60 : n), b);
		if (pos < 0)
			pos = (long)vn + pos < 0 ? 0 : (long)vn + pos;
		if ((size_t)pos > vn)
			pos = (long)vn;
		size_t rest = vn - (size_t)pos;
		if (cnt >= 0 && (size_t)cnt < rest)
			rest = (size_t)cnt;
		buf_add(out, val + pos, rest);
		return 0;
	}
	case '/': {
		char mode = '1';
		size_t k = 1;
		if (on > 1 && (op[1] == '/' || op[1] == '#' || op[1] == '%')) {
			mode = op[1] == '/' ? '/' : op[1];
			k = 2;
		}
		const char *pat = op + k, *slash = memchr(pat, '/', on - k);
		size_t pn = slash ? (size_t)(slash - pat) : on - k;
		const char *rep = slash ? slash + 1 : "";
		size_t rn = slash ? on - k - pn - 1 : 0;
		replace(out, val, pat, pn, rep, rn, mode);
		return 0;
	}
	case '#':
	case '%': {
		/* Literal patterns, so shortest and longest match are the same. */
		size_t k = on > 1 && op[1] == op[0] ? 2 : 1;
		replace(out, val, op + k, on - k, "", 0, op[0]);
		return 0;
	}
	case '^':
	case ',':
		if (on > 2 || (on == 2 && op[1] != op[0]))
			break;
		change_case(out, val, op[0] == '^', on == 2);
		return 0;
	default:
		break;
	}
	return err_set(ERR_INVALID, "bad substitution: '${%.*s}'", (int)(n > 60 ? 60 : n), b);
}

static int too_big(const struct buf *out)
{
	return err_set(ERR_TOOBIG, "variable substitution output larger than %zu bytes", out->max);
}

static int eval(const char *in, size_t len, const struct varsub_vars *vars, struct buf *out,
		int depth)
{
	if (depth > MAX_DEPTH)
		return err_set(ERR_TOOBIG, "variable substitution nested deeper than %d", MAX_DEPTH);
	for (size_t i = 0; i < len;) {
		const char *d = memchr(in + i, '$', len - i);
		if (!d) {
			buf_add(out, in + i, len - i);
			break;
		}
		size_t at = (size_t)(d - in);
		buf_add(out, in + i, at - i);
		if (at + 1 < len && in[at + 1] == '$') {
			buf_addch(out, '$');
			i = at + 2;
			continue;
		}
		if (at + 1 >= len || in[at + 1] != '{') {
			buf_addch(out, '$');
			i = at + 1;
			continue;
		}
		size_t j = at + 2, nest = 1;
		while (j < len) {
			if (in[j] == '$' && j + 1 < len && in[j + 1] == '{') {
				nest++;
				j += 2;
				continue;
			}
			if (in[j] == '}' && --nest == 0)
				break;
			j++;
		}
		if (j >= len)
			return err_set(ERR_INVALID, "unclosed '${' at offset %zu", at);
		int rc = expand(in + at + 2, j - at - 2, vars, out, depth);
		if (rc)
			return rc;
		/* Checked after each expression, so a result past the cap stops the work at
		 * once instead of evaluating the rest of the object for nothing. */
		if (out->err)
			return too_big(out);
		i = j + 1;
	}
	return out->err ? too_big(out) : 0;
}

int varsub_eval(const char *in, size_t len, const struct varsub_vars *vars, struct buf *out)
{
	return eval(in, len, vars, out, 0);
}

bool varsub_disabled(const struct doc_node *obj)
{
	const char *paths[] = { "metadata.labels", "metadata.annotations" };
	for (size_t i = 0; i < 2; i++) {
		const struct doc_node *m = doc_get(obj, paths[i]);
		const struct doc_node *v = m ? doc_map_get(m, DISABLE_KEY) : NULL;
		if (v && v->kind == DOC_STR && strcmp(v->u.str.ptr, "disabled") == 0)
			return true;
	}
	return false;
}

int varsub_object(struct arena *a, struct doc_node *obj, const struct varsub_vars *vars,
		  struct doc_node **out)
{
	*out = obj;
	if (varsub_disabled(obj))
		return 0;
	struct buf y = BUF_INIT, r;
	/* The result is parsed back as YAML, which refuses more than 64 MiB anyway: cap the
	 * buffer there (or lower), so the refusal comes before the memory is spent. */
	buf_init(&r, vars->max_output ? vars->max_output : VARSUB_MAX_OUTPUT);
	doc_emit_yaml(&y, obj, DOC_EMIT_DEFAULT);
	const char *kind = doc_get_str(obj, "kind"), *ns = doc_get_str(obj, "metadata.namespace"),
		   *name = doc_get_str(obj, "metadata.name");
	int rc = varsub_eval(y.ptr, y.len, vars, &r);
	if (rc) {
		rc = err_wrap(rc, "%s/%s%s%s: var substitution failed", kind ? kind : "?",
			      ns ? ns : "", ns ? "/" : "", name ? name : "?");
		goto done;
	}
	struct doc_stream s = { 0 };
	rc = doc_parse_yaml(a, name ? name : "object", r.ptr, r.len, NULL, &s);
	if (!rc && s.len != 1)
		rc = err_set(ERR_INVALID, "%s/%s: var substitution produced %zu documents",
			     kind ? kind : "?", name ? name : "?", s.len);
	if (rc) {
		rc = err_wrap(rc, "%s/%s: YAMLToJSON after var substitution", kind ? kind : "?",
			      name ? name : "?");
		goto done;
	}
	*out = s.docs[0];
done:
	buf_release(&y);
	buf_release(&r);
	return rc;
}
