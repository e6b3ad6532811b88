/* known_hosts matching; see knownhosts.h. */
#include "source/knownhosts.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/base64.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

void knownhosts_fingerprint(const unsigned char *key, size_t key_len, char out[64])
{
	unsigned char md[32];
	unsigned char enc[48];
	EVP_Digest(key, key_len, md, NULL, EVP_sha256(), NULL);
	int n = EVP_EncodeBlock(enc, md, sizeof(md));
	while (n > 0 && enc[n - 1] == '=')
		n--;
	snprintf(out, 64, "SHA256:%.*s", n, (const char *)enc);
}

/* The key type named inside a wire-format key blob ("ssh-ed25519", ...), into out. */
static void blob_type(const unsigned char *k, size_t n, char *out, size_t outsz)
{
	snprintf(out, outsz, "unknown");
	if (n < 4)
		return;
	size_t l = ((size_t)k[0] << 24) | ((size_t)k[1] << 16) | ((size_t)k[2] << 8) | k[3];
	if (l > n - 4 || l >= outsz)
		return;
	memcpy(out, k + 4, l);
	out[l] = '\0';
}

/* OpenSSH's glob: `*` any run, `?` any one character, case-insensitive. */
static int glob_match(const char *p, size_t pn, const char *s)
{
	size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;
	size_t sn = strlen(s);
	while (si < sn) {
		if (pi < pn && (p[pi] == '?' || tolower((unsigned char)p[pi]) ==
						       tolower((unsigned char)s[si]))) {
			pi++;
			si++;
		} else if (pi < pn && p[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (star != (size_t)-1) {
			pi = star + 1;
			si = ++mark;
		} else
			return 0;
	}
	while (pi < pn && p[pi] == '*')
		pi++;
	return pi == pn;
}

/* Does one pattern (without '!') name host:port? "[h]:p" carries a port, a bare one is 22. */
static int pattern_match(const char *p, size_t n, const char *host, int port)
{
	int pport = 22;
	if (n > 0 && p[0] == '[') {
		const char *close = memchr(p, ']', n);
		if (!close)
			return 0;
		size_t hl = (size_t)(close - p - 1);
		const char *rest = close + 1;
		size_t rl = n - (size_t)(rest - p);
		if (rl > 0) {
			if (rest[0] != ':' || rl < 2 || rl > 6)
				return 0;
			pport = 0;
			for (size_t i = 1; i < rl; i++) {
				if (!isdigit((unsigned char)rest[i]))
					return 0;
				pport = pport * 10 + (rest[i] - '0');
			}
		}
		return pport == port && glob_match(p + 1, hl, host);
	}
	return port == 22 && glob_match(p, n, host);
}

/* Does the hosts field (patterns or one hashed entry) name host:port? -1 when malformed. */
static int hosts_match(const char *f, size_t n, const char *name, const char *host, int port)
{
	if (n > 3 && !memcmp(f, "|1|", 3)) {
		const char *salt = f + 3;
		const char *bar = memchr(salt, '|', n - 3);
		if (!bar)
			return -1;
		struct buf s = BUF_INIT, h = BUF_INIT;
		int r = -1;
		if (base64_decode(&s, salt, (size_t)(bar - salt)) == 0 &&
		    base64_decode(&h, bar + 1, n - (size_t)(bar + 1 - f)) == 0 && h.len == 20) {
			unsigned char md[EVP_MAX_MD_SIZE];
			unsigned int mdlen = 0;
			HMAC(EVP_sha1(), s.ptr, (int)s.len, (const unsigned char *)name, strlen(name), md,
			     &mdlen);
			r = mdlen == 20 && !memcmp(md, h.ptr, 20);
		}
		buf_release(&s);
		buf_release(&h);
		return r;
	}
	/* a negated pattern that matches rules the line out, whatever else matches */
	int hit = 0;
	size_t i = 0;
	while (i <= n) {
		size_t j = i;
		while (j < n && f[j] != ',')
			j++;
		const char *p = f + i;
		size_t pl = j - i;
		int neg = pl > 0 && p[0] == '!';
		if (neg) {
			p++;
			pl--;
		}
		if (pl > 0 && pattern_match(p, pl, host, port)) {
			if (neg)
				return 0;
			hit = 1;
		}
		i = j + 1;
	}
	return hit;
}

/* Splits off the next whitespace-separated field of line[*i..n). */
static int next_field(const char *line, size_t n, size_t *i, const char **f, size_t *fl)
{
	while (*i < n && (line[*i] == ' ' || line[*i] == '\t'))
		(*i)++;
	if (*i >= n)
		return 0;
	*f = line + *i;
	while (*i < n && line[*i] != ' ' && line[*i] != '\t')
		(*i)++;
	*fl = (size_t)(line + *i - *f);
	return 1;
}

int knownhosts_check(const char *known_hosts, size_t len, const char *host, int port,
		     const unsigned char *key, size_t key_len)
{
	/* OpenSSH names hosts in lower case; hashed entries hash that form */
	struct buf lh = BUF_INIT, name = BUF_INIT, blob = BUF_INIT;
	for (const char *c = host; *c; c++)
		buf_addch(&lh, (char)tolower((unsigned char)*c));
	if (port == 22)
		buf_adds(&name, lh.ptr);
	else
		buf_addf(&name, "[%s]:%d", lh.ptr, port);
	char type[64], fp[64];
	blob_type(key, key_len, type, sizeof(type));
	knownhosts_fingerprint(key, key_len, fp);

	int known = 0, found = 0, revoked = 0, same_type = 0, rc = 0;
	struct buf types = BUF_INIT; /* the key types listed for the host, for the message */
	size_t lineno = 0, pos = 0;
	while (pos < len && !rc) {
		size_t end = pos;
		while (end < len && known_hosts[end] != '\n')
			end++;
		const char *line = known_hosts + pos;
		size_t n = end - pos, i = 0;
		pos = end + 1;
		lineno++;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		const char *f, *hf, *tf, *kf;
		size_t fl, hl, tl, kl;
		if (!next_field(line, n, &i, &f, &fl) || f[0] == '#')
			continue;
		int is_revoked = 0;
		if (f[0] == '@') {
			if (fl == 8 && !memcmp(f, "@revoked", 8))
				is_revoked = 1;
			else if (fl == 15 && !memcmp(f, "@cert-authority", 15))
				continue;
			else {
				rc = err_set(ERR_INVALID, "known_hosts line %zu: unknown marker", lineno);
				break;
			}
			if (!next_field(line, n, &i, &hf, &hl)) {
				rc = err_set(ERR_INVALID, "known_hosts line %zu: missing fields", lineno);
				break;
			}
		} else {
			hf = f;
			hl = fl;
		}
		if (!next_field(line, n, &i, &tf, &tl) || !next_field(line, n, &i, &kf, &kl)) {
			rc = err_set(ERR_INVALID, "known_hosts line %zu: missing fields", lineno);
			break;
		}
		buf_reset(&blob);
		char btype[64];
		if (base64_decode(&blob, kf, kl) != 0) {
			rc = err_set(ERR_INVALID, "known_hosts line %zu: key is not base64", lineno);
			break;
		}
		blob_type((const unsigned char *)blob.ptr, blob.len, btype, sizeof(btype));
		if (strlen(btype) != tl || memcmp(btype, tf, tl) != 0) {
			rc = err_set(ERR_INVALID, "known_hosts line %zu: key type '%.*s' does not match the key",
				     lineno, (int)(tl > 64 ? 64 : tl), tf);
			break;
		}
		int m = hosts_match(hf, hl, name.ptr, lh.ptr, port);
		if (m < 0) {
			rc = err_set(ERR_INVALID, "known_hosts line %zu: malformed hashed host", lineno);
			break;
		}
		if (!m)
			continue;
		int same = blob.len == key_len && !memcmp(blob.ptr, key, key_len);
		if (is_revoked) {
			revoked |= same;
			continue;
		}
		known = 1;
		found |= same;
		if (!strcmp(btype, type))
			same_type = 1;
		else if (!strstr(types.ptr, btype))
			buf_addf(&types, "%s%s", types.len ? ", " : "", btype);
	}
	if (rc)
		;
	else if (revoked)
		rc = err_set(ERR_AUTH, "host key for '%s' is revoked in known_hosts: %s %s", name.ptr,
			     type, fp);
	else if (found)
		rc = 0;
	else if (known && !same_type)
		/* libgit2 lets libssh2 pick the type, so the server may offer one known_hosts
		 * does not list (Flux asks only for the listed types) */
		rc = err_set(ERR_AUTH,
			     "host key mismatch for '%s': the server offered its %s key %s, and known_hosts "
			     "lists only %s for it; add the server's %s key (ssh-keyscan lists them all)",
			     name.ptr, type, fp, types.ptr, type);
	else if (known)
		rc = err_set(ERR_AUTH,
			     "host key mismatch for '%s': the server's %s key %s is not in known_hosts",
			     name.ptr, type, fp);
	else
		rc = err_set(ERR_AUTH, "unknown host '%s': no known_hosts entry (server's %s key %s)",
			     name.ptr, type, fp);
	buf_release(&lh);
	buf_release(&name);
	buf_release(&blob);
	buf_release(&types);
	return rc;
}
