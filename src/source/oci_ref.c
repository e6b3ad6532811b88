/*
 * OCI reference parsing and validation (see oci_ref.h for the grammar). Hand-written scanners
 * over the distribution reference grammar, one function per production, each taking a
 * pointer and a length: no regular expressions, no allocation, so the parser can read a
 * tenant's spec.url at any rate.
 */
#include "source/oci_ref.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }
static bool is_word(char c) { return is_alnum(c) || c == '_'; }
static bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* path-component := [a-z0-9]+ ((. | _ | __ | -+) [a-z0-9]+)* */
static bool component_valid(const char *s, size_t n)
{
	size_t i = 0;
	if (n == 0 || !is_lower_alnum(s[0]))
		return false;
	while (i < n) {
		while (i < n && is_lower_alnum(s[i]))
			i++;
		if (i == n)
			return true;
		/* a separator, then at least one alphanumeric */
		if (s[i] == '.')
			i++;
		else if (s[i] == '_')
			i += (i + 1 < n && s[i + 1] == '_') ? 2 : 1;
		else if (s[i] == '-')
			while (i < n && s[i] == '-')
				i++;
		else
			return false;
		if (i == n || !is_lower_alnum(s[i]))
			return false;
	}
	return true;
}

static bool repo_valid(const char *s, size_t n)
{
	if (n == 0 || n > OCI_REPO_MAX)
		return false;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '/') {
			if (!component_valid(s + start, i - start))
				return false;
			start = i + 1;
		}
	}
	return true;
}

/* domain-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9] */
static bool domain_name_valid(const char *s, size_t n)
{
	size_t start = 0;
	if (n == 0)
		return false;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '.') {
			if (!is_alnum(s[i]) && s[i] != '-')
				return false;
			continue;
		}
		size_t len = i - start;
		if (len == 0 || s[start] == '-' || s[i - 1] == '-')
			return false;
		start = i + 1;
	}
	return true;
}

static bool host_valid(const char *s, size_t n)
{
	if (n == 0 || n > OCI_HOST_MAX)
		return false;
	size_t hn = n;
	if (s[0] == '[') {
		/* \[ [a-fA-F0-9:]+ \] */
		const char *close = memchr(s, ']', n);
		if (!close || close == s + 1)
			return false;
		for (const char *p = s + 1; p < close; p++)
			if (!is_hex(*p) && *p != ':')
				return false;
		hn = (size_t)(close - s) + 1;
	} else {
		const char *colon = memchr(s, ':', n);
		if (colon)
			hn = (size_t)(colon - s);
		if (!domain_name_valid(s, hn))
			return false;
	}
	if (hn == n)
		return true;
	if (s[hn] != ':' || hn + 1 == n || n - hn - 1 > 5)
		return false;
	unsigned port = 0;
	for (size_t i = hn + 1; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		port = port * 10 + (unsigned)(s[i] - '0');
	}
	return port >= 1 && port <= 65535;
}

/* tag := [\w][\w.-]{0,127} */
static bool tag_valid(const char *s, size_t n)
{
	if (n == 0 || n > OCI_TAG_MAX || !is_word(s[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_word(s[i]) && s[i] != '.' && s[i] != '-')
			return false;
	return true;
}

int oci_digest_check(const char *what, const char *s, size_t n)
{
	/* digest := algorithm ":" hex{32,}, algorithm := [A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)* */
	const char *colon = memchr(s, ':', n);
	size_t an = colon ? (size_t)(colon - s) : 0;
	bool ok = colon && an > 0 && n - an - 1 >= 32;
	for (size_t i = 0; ok;) {
		if (i >= an || !is_alpha(s[i])) {
			ok = false;
			break;
		}
		for (i++; i < an && is_alnum(s[i]); i++)
			;
		if (i == an)
			break;
		if (!memchr("-_+.", s[i], 4))
			ok = false;
		i++;
	}
	for (size_t i = an + 1; ok && i < n; i++)
		ok = is_hex(s[i]);
	if (!ok)
		return err_set(ERR_INVALID, "'%s': invalid digest '%.*s'", what, (int)(n > 80 ? 80 : n), s);
	if (an != 6 || memcmp(s, "sha256", 6) != 0)
		return err_set(ERR_UNSUPPORTED, "'%s': unsupported digest algorithm '%.*s'", what,
			       (int)(an > 32 ? 32 : an), s);
	if (n != OCI_DIGEST_MAX)
		return err_set(ERR_INVALID, "'%s': invalid sha256 digest: want 64 hex digits", what);
	for (size_t i = an + 1; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'F')
			return err_set(ERR_INVALID, "'%s': invalid sha256 digest: hex digits must be lowercase",
				       what);
	return 0;
}

bool oci_tag_valid(const char *s) { return tag_valid(s, strlen(s)); }
bool oci_repo_valid(const char *s) { return repo_valid(s, strlen(s)); }
bool oci_host_valid(const char *s) { return host_valid(s, strlen(s)); }

bool oci_digest_valid(const char *s)
{
	size_t n = strlen(s);
	if (n != OCI_DIGEST_MAX || memcmp(s, "sha256:", 7) != 0)
		return false;
	for (size_t i = 7; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool has_upper(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return true;
	return false;
}

int oci_ref_parse(struct oci_ref *out, const char *s)
{
	memset(out, 0, sizeof(*out));
	static const char prefix[] = "oci://";
	size_t total = strlen(s);
	if (total > OCI_URL_MAX)
		return err_set(ERR_TOOBIG, "OCI URL longer than %d bytes", OCI_URL_MAX);
	if (strncmp(s, prefix, sizeof(prefix) - 1) != 0)
		return err_set(ERR_INVALID, "URL must be in format 'oci://<domain>/<org>/<repo>'");
	const char *p = s + sizeof(prefix) - 1;
	size_t n = total - (sizeof(prefix) - 1);

	/* host: up to the first '/' */
	const char *slash = memchr(p, '/', n);
	if (!slash)
		return err_set(ERR_INVALID, "'%s': invalid URL: no repository after the host", s);
	size_t hn = (size_t)(slash - p);
	if (hn > OCI_HOST_MAX)
		return err_set(ERR_TOOBIG, "'%s': invalid URL: host longer than %d bytes", s, OCI_HOST_MAX);
	if (!host_valid(p, hn))
		return err_set(ERR_INVALID, "'%s': invalid URL: invalid host '%.*s'", s, (int)hn, p);
	memcpy(out->host, p, hn);
	p = slash + 1;
	n -= hn + 1;

	/* @digest, then :tag after the last '/' */
	const char *at = memchr(p, '@', n);
	size_t rn = at ? (size_t)(at - p) : n;
	if (at) {
		size_t dn = n - rn - 1;
		int rc = oci_digest_check(s, at + 1, dn);
		if (rc)
			return rc;
		memcpy(out->digest, at + 1, dn);
	}
	const char *last_slash = NULL;
	for (const char *q = p; q < p + rn; q++)
		if (*q == '/')
			last_slash = q;
	const char *colon = memchr(last_slash ? last_slash : p, ':',
				   (size_t)(p + rn - (last_slash ? last_slash : p)));
	size_t namelen = colon ? (size_t)(colon - p) : rn;
	if (colon) {
		size_t tn = rn - namelen - 1;
		if (!tag_valid(colon + 1, tn))
			return err_set(tn > OCI_TAG_MAX ? ERR_TOOBIG : ERR_INVALID,
				       "'%s': invalid URL: invalid tag '%.*s'", s,
				       (int)(tn > 140 ? 140 : tn), colon + 1);
		memcpy(out->tag, colon + 1, tn);
	}
	if (namelen > OCI_REPO_MAX)
		return err_set(ERR_TOOBIG, "'%s': invalid URL: repository name longer than %d bytes",
			       s, OCI_REPO_MAX);
	if (!repo_valid(p, namelen)) {
		if (has_upper(p, namelen))
			return err_set(ERR_INVALID, "'%s': invalid URL: repository name must be lowercase", s);
		return err_set(ERR_INVALID, "'%s': invalid URL: invalid repository name '%.*s'", s,
			       (int)namelen, p);
	}
	memcpy(out->repo, p, namelen);
	return 0;
}

void oci_ref_format(struct buf *out, const struct oci_ref *r)
{
	buf_addf(out, "%s/%s", r->host, r->repo);
	if (r->tag[0])
		buf_addf(out, ":%s", r->tag);
	if (r->digest[0])
		buf_addf(out, "@%s", r->digest);
}
