/*
 * WWW-Authenticate parsing (RFC 7235's challenge grammar, read byte by byte with caps) and
 * Docker config lookup (k8schain's keyring matching); see oci_auth.h. Both read untrusted
 * text: every value is bounded by its field's size, the JSON by doc's limits, and no
 * credential reaches a message.
 */
#include "source/oci_auth.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc/doc.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* ---- WWW-Authenticate -------------------------------------------------------------------*/

static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* token68 adds these to the token characters ('=' only at the end, not checked) */
static bool is_t68char(char c) { return is_tchar(c) || c == '/' || c == '='; }

struct chal_scan {
	const char *s;
	size_t n, i;
};

static void skip_ows(struct chal_scan *sc)
{
	while (sc->i < sc->n && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t'))
		sc->i++;
}

static size_t scan_token(struct chal_scan *sc)
{
	size_t start = sc->i;
	while (sc->i < sc->n && is_tchar(sc->s[sc->i]))
		sc->i++;
	return sc->i - start;
}

/* A token or a quoted string into out[0..cap] (NUL-terminated). */
static int scan_value(struct chal_scan *sc, char *out, size_t cap, const char *name)
{
	size_t o = 0;
	if (sc->i < sc->n && sc->s[sc->i] == '"') {
		sc->i++;
		for (;;) {
			if (sc->i >= sc->n)
				return err_set(ERR_INVALID, "WWW-Authenticate: unterminated quoted string");
			char c = sc->s[sc->i++];
			if (c == '"')
				break;
			if (c == '\\') {
				if (sc->i >= sc->n)
					return err_set(ERR_INVALID,
						       "WWW-Authenticate: unterminated quoted string");
				c = sc->s[sc->i++];
			}
			if ((unsigned char)c < 0x20 || c == 0x7f)
				return err_set(ERR_INVALID, "WWW-Authenticate: control character in '%s'",
					       name);
			if (o >= cap)
				return err_set(ERR_TOOBIG, "WWW-Authenticate: '%s' longer than %zu bytes",
					       name, cap);
			out[o++] = c;
		}
	} else {
		size_t start = sc->i;
		size_t len = scan_token(sc);
		if (len == 0)
			return err_set(ERR_INVALID, "WWW-Authenticate: '%s' has no value", name);
		if (len > cap)
			return err_set(ERR_TOOBIG, "WWW-Authenticate: '%s' longer than %zu bytes", name,
				       cap);
		memcpy(out, sc->s + start, len);
		o = len;
	}
	out[o] = '\0';
	return 0;
}

int oci_challenge_parse(struct oci_challenge *out, const char *hdr, size_t len)
{
	memset(out, 0, sizeof(*out));
	if (len > OCI_CHALLENGE_MAX)
		return err_set(ERR_TOOBIG, "WWW-Authenticate longer than %d bytes", OCI_CHALLENGE_MAX);
	struct chal_scan sc = { hdr, len, 0 };
	struct oci_challenge cur;
	char first_scheme[32] = "";
	char ignored[OCI_REALM_MAX + 1];
	for (;;) {
		while (sc.i < sc.n && (sc.s[sc.i] == ',' || sc.s[sc.i] == ' ' || sc.s[sc.i] == '\t'))
			sc.i++;
		if (sc.i >= sc.n)
			break;
		size_t sstart = sc.i, slen = scan_token(&sc);
		if (slen == 0)
			return err_set(ERR_INVALID, "WWW-Authenticate: malformed challenge");
		memset(&cur, 0, sizeof(cur));
		if (slen == 5 && strncasecmp(hdr + sstart, "basic", 5) == 0)
			cur.scheme = OCI_AUTH_BASIC;
		else if (slen == 6 && strncasecmp(hdr + sstart, "bearer", 6) == 0)
			cur.scheme = OCI_AUTH_BEARER;
		if (!first_scheme[0]) {
			size_t m = slen < sizeof(first_scheme) - 1 ? slen : sizeof(first_scheme) - 1;
			memcpy(first_scheme, hdr + sstart, m);
			first_scheme[m] = '\0';
		}
		/* the parameters, up to the end or the next challenge's scheme */
		bool first_item = true;
		for (;;) {
			skip_ows(&sc);
			if (sc.i >= sc.n)
				break;
			if (sc.s[sc.i] == ',') {
				sc.i++;
				first_item = false;
				continue;
			}
			size_t nstart = sc.i, nlen = scan_token(&sc);
			size_t after = sc.i;
			skip_ows(&sc);
			bool is_param = sc.i < sc.n && sc.s[sc.i] == '=';
			if (is_param) {
				/* a token68 ending in '=' ("abc==") is not a parameter */
				size_t k = sc.i + 1;
				while (k < sc.n && (sc.s[k] == ' ' || sc.s[k] == '\t'))
					k++;
				if (k >= sc.n || sc.s[k] == '=' || sc.s[k] == ',')
					is_param = false;
			}
			if (nlen == 0 && !is_param) {
				/* token68 characters that are not token characters ("/", "=") */
				sc.i = nstart;
				if (!first_item || !is_t68char(sc.s[sc.i]))
					return err_set(ERR_INVALID, "WWW-Authenticate: malformed challenge");
				while (sc.i < sc.n && is_t68char(sc.s[sc.i]))
					sc.i++;
				first_item = false;
				continue;
			}
			if (!is_param) {
				sc.i = after;
				skip_ows(&sc);
				if (first_item && (sc.i >= sc.n || sc.s[sc.i] == ',')) {
					/* token68 after the scheme */
					while (sc.i < sc.n && is_t68char(sc.s[sc.i]))
						sc.i++;
					first_item = false;
					continue;
				}
				if (first_item && after < sc.n && is_t68char(sc.s[after])) {
					sc.i = after;
					while (sc.i < sc.n && is_t68char(sc.s[sc.i]))
						sc.i++;
					first_item = false;
					continue;
				}
				/* the next challenge's scheme */
				sc.i = nstart;
				break;
			}
			sc.i++; /* '=' */
			skip_ows(&sc);
			const char *name = hdr + nstart;
			char *dst = ignored;
			size_t cap = OCI_REALM_MAX;
			const char *pname = "parameter";
			if (nlen == 5 && strncasecmp(name, "realm", 5) == 0)
				dst = cur.realm, cap = OCI_REALM_MAX, pname = "realm";
			else if (nlen == 7 && strncasecmp(name, "service", 7) == 0)
				dst = cur.service, cap = OCI_SERVICE_MAX, pname = "service";
			else if (nlen == 5 && strncasecmp(name, "scope", 5) == 0)
				dst = cur.scope, cap = OCI_SCOPE_MAX, pname = "scope";
			int rc = scan_value(&sc, dst, cap, pname);
			if (rc)
				return rc;
			first_item = false;
			skip_ows(&sc);
			if (sc.i < sc.n && sc.s[sc.i] != ',')
				return err_set(ERR_INVALID, "WWW-Authenticate: malformed challenge");
		}
		if (cur.scheme == OCI_AUTH_BEARER && out->scheme != OCI_AUTH_BEARER)
			*out = cur;
		else if (cur.scheme == OCI_AUTH_BASIC && out->scheme == OCI_AUTH_NONE)
			*out = cur;
	}
	if (out->scheme == OCI_AUTH_NONE) {
		if (!first_scheme[0])
			return err_set(ERR_INVALID, "WWW-Authenticate: no challenge");
		return err_set(ERR_UNSUPPORTED, "unsupported authentication scheme '%s'", first_scheme);
	}
	if (out->scheme == OCI_AUTH_BEARER && !out->realm[0])
		return err_set(ERR_INVALID, "WWW-Authenticate: bearer challenge without a realm");
	return 0;
}

/* ---- Docker config -----------------------------------------------------------------------*/

void oci_creds_release(struct oci_creds *c)
{
	if (!c)
		return;
	/* the secrets are wiped before they are freed */
	char **f[] = { &c->username, &c->password, &c->registry_token, &c->identity_token };
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (*f[i]) {
			explicit_bzero(*f[i], strlen(*f[i]));
			free(*f[i]);
			*f[i] = NULL;
		}
	}
}

/* One character or escape of a class range (Go's getEsc). -1 for a malformed pattern. */
static int glob_esc(const char *p, size_t pn, size_t *i)
{
	if (*i >= pn || p[*i] == '-' || p[*i] == ']')
		return -1;
	if (p[*i] == '\\') {
		(*i)++;
		if (*i >= pn)
			return -1;
	}
	return (unsigned char)p[(*i)++];
}

/* The class at p[0] == '[' against c: 1 match, 0 no match, -1 malformed; *adv its length. */
static int glob_class(const char *p, size_t pn, unsigned char c, size_t *adv)
{
	size_t i = 1;
	bool neg = false, matched = false, first = true;
	if (i < pn && p[i] == '^') {
		neg = true;
		i++;
	}
	for (;;) {
		if (i >= pn)
			return -1;
		if (p[i] == ']' && !first) {
			i++;
			break;
		}
		int lo = glob_esc(p, pn, &i), hi = lo;
		if (lo < 0)
			return -1;
		if (i < pn && p[i] == '-') {
			i++;
			hi = glob_esc(p, pn, &i);
			if (hi < 0)
				return -1;
		}
		if (lo <= c && c <= hi)
			matched = true;
		first = false;
	}
	*adv = i;
	return matched != neg;
}

/* Go's filepath.Match on bytes (a malformed pattern matches nothing). '*' backtracks to the
 * last star only, which is exact for these patterns and linear-ish in the worst case. */
static bool glob_match(const char *p, size_t pn, const char *s, size_t sn)
{
	size_t pi = 0, si = 0, star_pi = (size_t)-1, star_si = 0;
	while (si < sn) {
		if (pi < pn) {
			char ch = p[pi];
			if (ch == '*') {
				while (pi < pn && p[pi] == '*')
					pi++;
				star_pi = pi;
				star_si = si;
				continue;
			}
			if (ch == '?' && s[si] != '/') {
				pi++;
				si++;
				continue;
			}
			if (ch == '[') {
				size_t adv = 0;
				int r = glob_class(p + pi, pn - pi, (unsigned char)s[si], &adv);
				if (r < 0)
					return false;
				if (r == 1) {
					pi += adv;
					si++;
					continue;
				}
			} else if (ch == '\\') {
				if (pi + 1 >= pn)
					return false;
				if (p[pi + 1] == s[si]) {
					pi += 2;
					si++;
					continue;
				}
			} else if (ch != '?' && ch == s[si]) {
				pi++;
				si++;
				continue;
			}
		}
		if (star_pi != (size_t)-1 && s[star_si] != '/') {
			si = ++star_si;
			pi = star_pi;
			continue;
		}
		return false;
	}
	while (pi < pn && p[pi] == '*')
		pi++;
	return pi == pn;
}

/* A schemeless URL "host[:port][/path]" split as Go's url.Parse and net.SplitHostPort do. */
struct url_parts {
	const char *host; /* without the port */
	size_t host_len;
	const char *port; /* "" when none */
	size_t port_len;
	const char *path; /* "" or "/..." */
	size_t path_len;
};

static void split_url(const char *u, size_t n, struct url_parts *out)
{
	size_t auth_end = 0;
	while (auth_end < n && u[auth_end] != '/' && u[auth_end] != '?' && u[auth_end] != '#')
		auth_end++;
	size_t path_end = auth_end;
	while (path_end < n && u[path_end] != '?' && u[path_end] != '#')
		path_end++;
	out->path = u + auth_end;
	out->path_len = path_end - auth_end;
	/* userinfo@ is not part of the host */
	const char *h = u;
	size_t hn = auth_end;
	for (size_t i = auth_end; i > 0; i--)
		if (u[i - 1] == '@') {
			h = u + i;
			hn = auth_end - i;
			break;
		}
	out->host = h;
	out->host_len = hn;
	out->port = "";
	out->port_len = 0;
	if (hn && h[0] == '[') {
		const char *close = memchr(h, ']', hn);
		if (close && (size_t)(close - h) + 1 < hn && close[1] == ':') {
			out->host = h + 1;
			out->host_len = (size_t)(close - h) - 1;
			out->port = close + 2;
			out->port_len = hn - (size_t)(close - h) - 2;
		}
		return;
	}
	const char *colon = memchr(h, ':', hn);
	if (colon && !memchr(colon + 1, ':', hn - (size_t)(colon - h) - 1)) {
		out->host_len = (size_t)(colon - h);
		out->port = colon + 1;
		out->port_len = hn - out->host_len - 1;
	}
}

static bool keyring_match(const char *key, const char *target)
{
	struct url_parts g, t;
	split_url(key, strlen(key), &g);
	split_url(target, strlen(target), &t);
	if (g.port_len != t.port_len || memcmp(g.port, t.port, g.port_len) != 0)
		return false;
	if (t.path_len < g.path_len || memcmp(t.path, g.path, g.path_len) != 0)
		return false;
	/* the same number of dot-separated parts, each matching as a glob */
	size_t gi = 0, ti = 0;
	for (;;) {
		size_t ge = gi, te = ti;
		while (ge < g.host_len && g.host[ge] != '.')
			ge++;
		while (te < t.host_len && t.host[te] != '.')
			te++;
		if (!glob_match(g.host + gi, ge - gi, t.host + ti, te - ti))
			return false;
		bool gend = ge >= g.host_len, tend = te >= t.host_len;
		if (gend || tend)
			return gend && tend;
		gi = ge + 1;
		ti = te + 1;
	}
}

/* k8schain's key for an `auths` entry: no scheme, no leading /v1/ or /v2/. */
static char *keyring_key(struct arena *a, const char *k, size_t n)
{
	if (n >= 8 && strncmp(k, "https://", 8) == 0)
		k += 8, n -= 8;
	else if (n >= 7 && strncmp(k, "http://", 7) == 0)
		k += 7, n -= 7;
	struct url_parts u;
	split_url(k, n, &u);
	const char *path = u.path;
	size_t pl = u.path_len;
	if (pl >= 4 && (strncmp(path, "/v2/", 4) == 0 || strncmp(path, "/v1/", 4) == 0))
		path += 3, pl -= 3;
	size_t authority = (size_t)(u.path - k);
	if (pl == 0 || (pl == 1 && path[0] == '/'))
		return arena_strndup(a, k, authority);
	return arena_sprintf(a, "%.*s%.*s", (int)authority, k, (int)pl, path);
}

static int entry_string(const struct doc_node *entry, const char *field, const char *host,
			const char **out)
{
	*out = NULL;
	const struct doc_node *v = doc_map_get(entry, field);
	if (!v || v->kind == DOC_NULL)
		return 0;
	if (v->kind != DOC_STR)
		return err_set(ERR_INVALID, "docker config entry '%s': '%s' is not a string", host, field);
	*out = v->u.str.ptr;
	return 0;
}

/* The credentials of one entry (every entry is decoded, as json.Unmarshal decodes them all:
 * a bad `auth` anywhere fails the lookup, as it fails Flux's keychain). */
static int entry_creds(const char *host, const struct doc_node *entry, struct oci_creds *out)
{
	memset(out, 0, sizeof(*out));
	if (entry->kind != DOC_MAP)
		return err_set(ERR_INVALID, "docker config entry '%s' is not an object", host);
	const char *user, *pass, *auth, *rtok, *itok;
	int rc = entry_string(entry, "username", host, &user);
	if (!rc) rc = entry_string(entry, "password", host, &pass);
	if (!rc) rc = entry_string(entry, "auth", host, &auth);
	if (!rc) rc = entry_string(entry, "registrytoken", host, &rtok);
	if (!rc) rc = entry_string(entry, "identitytoken", host, &itok);
	if (rc)
		return rc;
	if (auth && *auth) {
		struct buf dec = BUF_INIT;
		const char *colon = NULL;
		if (base64_decode(&dec, auth, strlen(auth)) == 0)
			colon = memchr(dec.ptr, ':', dec.len);
		if (!colon || memchr(dec.ptr, '\0', dec.len)) {
			explicit_bzero(dec.ptr, dec.len);
			buf_release(&dec);
			return err_set(ERR_INVALID,
				       "docker config entry '%s': unable to decode auth field: must be "
				       "formatted as base64(username:password)", host);
		}
		out->username = xstrndup(dec.ptr, (size_t)(colon - dec.ptr));
		out->password = xstrdup(colon + 1);
		explicit_bzero(dec.ptr, dec.len);
		buf_release(&dec);
	} else {
		out->username = user && *user ? xstrdup(user) : NULL;
		out->password = pass && *pass ? xstrdup(pass) : NULL;
	}
	out->registry_token = rtok && *rtok ? xstrdup(rtok) : NULL;
	out->identity_token = itok && *itok ? xstrdup(itok) : NULL;
	return 0;
}

struct keyed {
	const char *key;
	size_t order;
	const struct doc_node *entry;
	const char *raw; /* the key as written, for messages */
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(y->key, x->key); /* reverse: longer, more specific keys first */
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

int oci_dockerconfig_lookup(struct oci_creds *out, const char *json, size_t len,
			    enum oci_dockerconfig_format fmt, const char *host, const char *repo)
{
	memset(out, 0, sizeof(*out));
	if (len > OCI_DOCKERCONFIG_MAX)
		return err_set(ERR_TOOBIG, "docker config larger than %u bytes", OCI_DOCKERCONFIG_MAX);
	struct arena *a = arena_new();
	struct doc_limits lim = { .max_bytes = OCI_DOCKERCONFIG_MAX, .max_depth = 16,
				  .max_nodes = 100000 };
	struct doc_node *root = NULL;
	int rc = doc_parse_json(a, "docker config", json, len, &lim, &root);
	if (rc)
		goto done;
	if (root->kind != DOC_MAP) {
		rc = err_set(ERR_INVALID, "docker config: expected a JSON object");
		goto done;
	}
	const struct doc_node *auths = root;
	if (fmt == OCI_DOCKERCONFIGJSON) {
		auths = doc_map_get(root, "auths");
		if (!auths || auths->kind == DOC_NULL) {
			rc = err_set(ERR_NOTFOUND, "docker config has no credentials for '%s'", host);
			goto done;
		}
		if (auths->kind != DOC_MAP) {
			rc = err_set(ERR_INVALID, "docker config: 'auths' is not an object");
			goto done;
		}
	}
	size_t n = auths->u.map.len;
	if (n > OCI_DOCKERCONFIG_ENTRIES) {
		rc = err_set(ERR_TOOBIG, "docker config has more than %d entries",
			     OCI_DOCKERCONFIG_ENTRIES);
		goto done;
	}
	struct keyed *keys = arena_alloc(a, (n ? n : 1) * sizeof(*keys));
	for (size_t i = 0; i < n; i++) {
		const struct doc_pair *p = &auths->u.map.items[i];
		struct oci_creds check;
		rc = entry_creds(p->key, p->value, &check);
		oci_creds_release(&check);
		if (rc)
			goto done;
		keys[i].key = keyring_key(a, p->key, p->keylen);
		keys[i].order = i;
		keys[i].entry = p->value;
		keys[i].raw = p->key;
	}
	qsort(keys, n, sizeof(*keys), keyed_cmp);
	char *target = arena_sprintf(a, "%s/%s", host, repo);
	rc = err_set(ERR_NOTFOUND, "docker config has no credentials for '%s'", host);
	for (size_t i = 0; i < n; i++) {
		if (keyring_match(keys[i].key, target)) {
			rc = entry_creds(keys[i].raw, keys[i].entry, out);
			break;
		}
	}
done:
	arena_free(a);
	return rc;
}
