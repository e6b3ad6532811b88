/*
 * Build metadata: the origin of each object (the file it was read from, or the generator
 * that made it) and the transformers that ran over it, printed as kustomize's
 * config.kubernetes.io/origin and alpha.config.kubernetes.io/transformations annotations
 * when the top kustomization's buildMetadata asks for them.
 */
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"

#include "util/banned.h"

const char *kust_path_join(struct arena *a, const char *base, const char *rel)
{
	const char *parts[256];
	size_t lens[256], n = 0, up = 0;
	const char *srcs[2] = { base, rel };
	bool abs = base[0] == '/' || (!*base && rel[0] == '/');
	if (rel[0] == '/')
		srcs[0] = "";
	for (int s = 0; s < 2; s++) {
		const char *p = srcs[s];
		while (*p) {
			const char *e = strchr(p, '/');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			if (l == 0 || (l == 1 && p[0] == '.')) {
				/* skip */
			} else if (l == 2 && p[0] == '.' && p[1] == '.') {
				if (n > up)
					n--;
				else if (!abs && n < 256) {
					parts[n] = p;
					lens[n++] = l;
					up++;
				}
			} else if (n < 256) {
				parts[n] = p;
				lens[n++] = l;
			}
			p += l;
			if (*p == '/')
				p++;
		}
	}
	struct buf b = BUF_INIT;
	if (abs)
		buf_addch(&b, '/');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addch(&b, '/');
		buf_add(&b, parts[i], lens[i]);
	}
	if (!b.len)
		buf_addch(&b, '.');
	const char *out = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return out;
}

void kust_origin_yaml(struct buf *b, const struct kust_origin *o, const char *indent, bool item)
{
	const char *first = item ? "- " : "";
	const char *pad = item ? "  " : "";
	bool started = false;
#define LINE(key, val)                                                                  \
	do {                                                                            \
		buf_addf(b, "%s%s%s: %s\n", indent, started ? pad : first, key, val);       \
		started = true;                                                         \
	} while (0)
	if (o->path && *o->path)
		LINE("path", o->path);
	if (o->configured_in && *o->configured_in)
		LINE("configuredIn", o->configured_in);
	if ((o->api_version && *o->api_version) || (o->kind && *o->kind)) {
		buf_addf(b, "%s%sconfiguredBy:\n", indent, started ? pad : first);
		started = true;
		if (o->api_version && *o->api_version)
			buf_addf(b, "%s%s  apiVersion: %s\n", indent, pad, o->api_version);
		if (o->kind && *o->kind)
			buf_addf(b, "%s%s  kind: %s\n", indent, pad, o->kind);
		if (o->name && *o->name)
			buf_addf(b, "%s%s  name: %s\n", indent, pad, o->name);
		if (o->ns && *o->ns)
			buf_addf(b, "%s%s  namespace: %s\n", indent, pad, o->ns);
	}
#undef LINE
}

void kust_note_transform(struct kust_ctx *c, struct kust_resmap *m, const struct kust_origin *o)
{
	if (!c->build_metadata || !o)
		return;
	for (size_t i = 0; i < m->len; i++) {
		struct kust_res *r = m->v[i];
		if (!r->origin) {
			r->origin = o;
			continue;
		}
		if (r->ntransforms == r->cap_transforms)
			r->transforms = arena_grow(c->a, r->transforms, &r->cap_transforms,
						   r->ntransforms + 1, sizeof(*r->transforms));
		r->transforms[r->ntransforms++] = o;
	}
}

const struct kust_origin *kust_builtin_origin(struct kust_ctx *c, const struct kust_loader *ldr,
					      const char *filename, const char *kind)
{
	if (!c->build_metadata)
		return NULL;
	struct kust_origin *o = arena_alloc(c->a, sizeof(*o));
	o->configured_in = kust_path_join(c->a, ldr->origin ? ldr->origin : "",
					  filename ? filename : "kustomization.yaml");
	o->api_version = "builtin";
	o->kind = kind;
	return o;
}
