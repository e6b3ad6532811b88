/*
 * Kubernetes' checks of names and labels (k8s.io/apimachinery pkg/util/validation), with
 * its messages, which source-watcher puts in its conditions: an artifact name must be a
 * DNS-1123 subdomain, a pathPattern capture a label key and its value a label value. And
 * Go's %q, with which those messages quote the values.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "controllers/artifactgenerator/ag.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/banned.h"

static bool alnum(char c)
{
	return isalnum((unsigned char)c) != 0;
}

static bool lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)* */
static bool dns_subdomain(const char *v)
{
	const char *p = v;
	for (;;) {
		const char *start = p;
		while (lower_alnum(*p) || *p == '-')
			p++;
		if (p == start || !lower_alnum(*start) || !lower_alnum(p[-1]))
			return false;
		if (*p == '\0')
			return true;
		if (*p != '.')
			return false;
		p++;
	}
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9], the empty string excluded */
static bool qualified_part(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || !alnum(v[0]) || !alnum(v[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!alnum(v[i]) && v[i] != '-' && v[i] != '_' && v[i] != '.')
			return false;
	return true;
}

static void add(struct buf *b, const char *msg)
{
	if (b->len)
		buf_adds(b, "; ");
	buf_adds(b, msg);
}

static const char *result(struct arena *a, struct buf *b)
{
	const char *s = b->len ? arena_strdup(a, b->ptr) : NULL;
	buf_release(b);
	return s;
}

const char *ag_dns_subdomain_errors(struct arena *a, const char *v)
{
	struct buf b = BUF_INIT;
	if (strlen(v) > 253)
		add(&b, "must be no more than 253 characters");
	if (!dns_subdomain(v))
		add(&b, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
			"'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
			"regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
	return result(a, &b);
}

const char *ag_label_value_errors(struct arena *a, const char *v)
{
	struct buf b = BUF_INIT;
	if (strlen(v) > 63)
		add(&b, "must be no more than 63 characters");
	if (*v && !qualified_part(v))
		add(&b, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
			"or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
			"'my_value',  or '12345', regex used for validation is "
			"'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
	return result(a, &b);
}

static void qualified_name_part(struct buf *b, const char *name)
{
	if (!*name) {
		add(b, "name part must be non-empty");
		return;
	}
	if (strlen(name) > 63)
		add(b, "name part must be no more than 63 characters");
	if (!qualified_part(name))
		add(b, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and "
		       "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
		       "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
}

const char *ag_label_key_errors(struct arena *a, const char *v)
{
	struct buf b = BUF_INIT;
	const char *slash = strchr(v, '/');
	if (slash && strchr(slash + 1, '/')) {
		add(&b, "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must "
			"start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
			"'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') "
			"with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
		return result(a, &b);
	}
	if (slash) {
		const char *prefix = arena_strndup(a, v, (size_t)(slash - v));
		if (!*prefix) {
			add(&b, "prefix part must be non-empty");
		} else {
			const char *e = ag_dns_subdomain_errors(a, prefix);
			if (e)
				add(&b, arena_sprintf(a, "prefix part %s", e));
		}
		qualified_name_part(&b, slash + 1);
	} else {
		qualified_name_part(&b, v);
	}
	return result(a, &b);
}

const char *ag_quote(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	buf_addch(&b, '"');
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t w = utf8_valid_prefix(s + i, n - i);
		if (w > 1) {
			buf_add(&b, s + i, w);
			i += w;
			continue;
		}
		i++;
		switch (c) {
		case '"': buf_adds(&b, "\\\""); break;
		case '\\': buf_adds(&b, "\\\\"); break;
		case '\a': buf_adds(&b, "\\a"); break;
		case '\b': buf_adds(&b, "\\b"); break;
		case '\f': buf_adds(&b, "\\f"); break;
		case '\n': buf_adds(&b, "\\n"); break;
		case '\r': buf_adds(&b, "\\r"); break;
		case '\t': buf_adds(&b, "\\t"); break;
		case '\v': buf_adds(&b, "\\v"); break;
		default:
			if (w == 1 && c >= 0x20 && c < 0x7f)
				buf_addch(&b, (char)c);
			else
				buf_addf(&b, "\\x%02x", c);
		}
	}
	buf_addch(&b, '"');
	const char *q = arena_strdup(a, b.ptr);
	buf_release(&b);
	return q;
}
