/* A source's artifact (see artifact.h). */
#include "controllers/common/artifact.h"

#include "doc/doc.h"
#include "source/fetch.h"
#include "util/error.h"
#include "util/banned.h"

int ctl_artifact_of(struct ctl_artifact *out, const struct doc_node *src)
{
	out->revision = doc_get_str(src, "status.artifact.revision");
	out->url = doc_get_str(src, "status.artifact.url");
	out->digest = doc_get_str(src, "status.artifact.digest");
	const struct doc_node *md = doc_get(src, "status.artifact.metadata");
	const struct doc_node *o = doc_map_get(md, "org.opencontainers.image.revision");
	out->origin_revision = o && o->kind == DOC_STR && *o->u.str.ptr ? o->u.str.ptr : NULL;
	return out->revision && out->url ? 0 : ERR_NOTFOUND;
}

int ctl_artifact_fetch(const struct ctl_artifact *art, const char *dest, const struct fetch_limits *lim)
{
	return fetch_artifact(art->url, art->digest, dest, lim);
}
