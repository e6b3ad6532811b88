/*
 * The dependency manager, as Flux's chart.DependencyManager (what `helm dependency build`
 * does for a chart directory): the dependencies Chart.lock names (else Chart.yaml's) that
 * charts/ does not hold already (by name, or alias) are added to the loaded chart, so the
 * package carries them. A dependency without a repository, or with a file:// one, is a chart
 * directory inside the source artifact (confined to it: a path that leaves it is refused)
 * whose version must satisfy the constraint; any other is downloaded from its chart
 * repository, with the credentials of the HelmRepository of the namespace whose URL is the
 * same once normalised, or anonymously when there is none. An alias renames the subchart.
 */
#include <stdlib.h>
#include <string.h>

#include "controllers/helmchart/helmchart.h"
#include "controllers/helmchart/repo.h"
#include "doc/doc.h"
#include "helm/chart.h"
#include "kube/client.h"
#include "runtime/controller.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/semver.h"
#include "util/banned.h"

#define MAX_REPOS 16

struct dep_req {
	const char *name, *version, *repository, *alias;
};

struct deps {
	struct helmchart *c;
	const char *workdir, *chart_rel;
	struct chart_repo repos[MAX_REPOS];
	size_t nrepos;
	unsigned serial;
};

static const struct helm_load_limits *load_limits(void)
{
	static struct helm_load_limits lim;
	lim.max_archive_bytes = (size_t)helmchart_max_size;
	lim.max_file_bytes = (size_t)helmchart_file_max_size;
	return &lim;
}

/* Chart.lock's dependencies (exact versions) when the chart has one, else Chart.yaml's. */
static int requirements(struct arena *a, const struct helm_chart *chart, struct dep_req **out,
			size_t *n)
{
	*n = 0;
	if (chart->lock) {
		struct doc_stream s = { 0 };
		int rc = doc_parse_yaml(a, chart->lock->name, chart->lock->data, chart->lock->len, NULL, &s);
		if (rc)
			return rc;
		const struct doc_node *deps = s.len ? doc_map_get(s.docs[0], "dependencies") : NULL;
		size_t len = deps && deps->kind == DOC_SEQ ? deps->u.seq.len : 0;
		*out = arena_alloc(a, (len + 1) * sizeof(**out));
		for (size_t i = 0; i < len; i++) {
			const struct doc_node *d = deps->u.seq.items[i];
			(*out)[(*n)++] = (struct dep_req){ doc_get_str(d, "name"), doc_get_str(d, "version"),
							   doc_get_str(d, "repository"), NULL };
		}
		return 0;
	}
	*out = arena_alloc(a, (chart->metadata.ndependencies + 1) * sizeof(**out));
	for (size_t i = 0; i < chart->metadata.ndependencies; i++) {
		const struct helm_dependency *d = &chart->metadata.dependencies[i];
		(*out)[(*n)++] = (struct dep_req){ d->name, d->version, d->repository, d->alias };
	}
	return 0;
}

static void add_dependency(struct arena *a, struct helm_chart *chart, struct helm_chart *sub)
{
	struct helm_chart **deps = arena_alloc(a, (chart->ndependencies + 2) * sizeof(*deps));
	if (chart->ndependencies)
		memcpy(deps, chart->dependencies, chart->ndependencies * sizeof(*deps));
	deps[chart->ndependencies] = sub;
	chart->dependencies = deps;
	chart->ndependencies++;
	sub->parent = chart;
}

static const char *str(const char *s)
{
	return s ? s : "";
}

static int add_local(struct deps *d, struct helm_chart *chart, const struct dep_req *req)
{
	struct arena *a = d->c->a;
	const char *repo = str(req->repository);
	const char *rel;
	if (!*repo) {
		rel = arena_sprintf(a, "%s/charts/%s", d->chart_rel, str(req->name));
	} else {
		const char *p = repo + strlen("file://");
		rel = arena_sprintf(a, "%s/%s", d->chart_rel, p);
	}
	char *joined = NULL, *resolved = NULL;
	int rc = fs_join_confined(&joined, d->workdir, rel);
	if (rc)
		return err_set(rc, "path '%s' escapes the source artifact", rel);
	rc = fs_resolve_in_root(&resolved, d->workdir, joined);
	if (rc == ERR_ESCAPE) {
		free(joined);
		return err_set(rc, "path '%s' escapes the source artifact", rel);
	}
	if (rc) {
		err_set(ERR_NOTFOUND, "no chart found at '%s' (reference '%s')", joined + strlen(d->workdir),
			repo);
		free(joined);
		return ERR_NOTFOUND;
	}
	free(joined);
	const char *path = arena_strdup(a, resolved);
	free(resolved);
	struct semver_constraint *con = NULL;
	if ((rc = semver_constraint_parse(req->version && *req->version ? req->version : "*", &con)))
		return err_set(rc, "invalid version/constraint format '%s': %s", str(req->version),
			       err_msg());
	struct helm_chart *sub = NULL;
	rc = helm_chart_load(a, path, load_limits(), &sub);
	if (rc) {
		semver_constraint_free(con);
		return err_set(rc, "failed to load chart from '%s' (reference '%s'): %s",
			       path + strlen(d->workdir), repo, err_msg());
	}
	struct semver v;
	rc = semver_parse(str(sub->metadata.version), &v);
	if (!rc && !semver_constraint_check(con, &v))
		rc = err_set(ERR_INVALID, "can't get a valid version for constraint '%s'", str(req->version));
	semver_constraint_free(con);
	if (rc)
		return rc;
	if (req->alias && *req->alias)
		sub->metadata.name = req->alias;
	add_dependency(a, chart, sub);
	return 0;
}

/* The HelmRepository of the namespace with this normalised URL, or NULL. */
static const struct doc_node *find_repository(struct deps *d, const char *url)
{
	static const struct kube_resource helmrepos = { "source.toolkit.fluxcd.io", "v1",
							"helmrepositories", "HelmRepository",
							"helmrepository", true };
	struct doc_node *list = NULL;
	if (kube_list(&list, rt_client(d->c->r), d->c->a, &helmrepos, d->c->ns, false, NULL)) {
		err_clear();
		return NULL;
	}
	const struct doc_node *items = doc_map_get(list, "items");
	for (size_t i = 0; items && items->kind == DOC_SEQ && i < items->u.seq.len; i++) {
		const struct doc_node *o = items->u.seq.items[i];
		if (!strcmp(chart_repo_normalize_url(d->c->a, doc_get_str(o, "spec.url")), url))
			return o;
	}
	return NULL;
}

static int resolve_repository(struct deps *d, const char *url, struct chart_repo **out)
{
	const char *norm = chart_repo_normalize_url(d->c->a, url);
	for (size_t i = 0; i < d->nrepos; i++)
		if (!strcmp(d->repos[i].url, norm)) {
			*out = &d->repos[i];
			return 0;
		}
	if (strncmp(norm, "http://", 7) && strncmp(norm, "https://", 8) && strncmp(norm, "oci://", 6))
		return err_set(ERR_INVALID, "invalid chart repository URL '%s': only http(s) and oci "
			       "repositories are supported", url);
	if (d->nrepos == MAX_REPOS)
		return err_set(ERR_TOOBIG, "more than %d chart repositories", MAX_REPOS);
	struct chart_repo *r = &d->repos[d->nrepos];
	const struct doc_node *obj = find_repository(d, norm);
	int rc = obj ? chart_repo_from_object(d->c, obj, r) : chart_repo_anonymous(d->c, norm, r);
	if (rc) {
		chart_repo_release(r);
		return err_set(rc, "failed to get chart repository for URL '%s': %s", norm, err_msg());
	}
	d->nrepos++;
	*out = r;
	return 0;
}

static int add_remote(struct deps *d, struct helm_chart *chart, const struct dep_req *req)
{
	struct arena *a = d->c->a;
	struct chart_repo *repo = NULL;
	int rc = resolve_repository(d, req->repository, &repo);
	if (rc)
		return rc;
	struct chart_version cv;
	if ((rc = chart_repo_get_version(repo, str(req->name), str(req->version), &cv, NULL)))
		return err_set(rc, "failed to get chart '%s' version '%s' from '%s': %s", str(req->name),
			       str(req->version), req->repository, err_msg());
	const char *dir = NULL;
	if ((rc = helmchart_tmpdir(d->c, &dir)))
		return rc;
	const char *path = arena_sprintf(a, "%s/dep-%u.tgz", dir, d->serial++);
	if ((rc = chart_repo_download(repo, &cv, path)))
		return err_set(rc, "chart download of version '%s' failed: %s", cv.version, err_msg());
	struct helm_chart *sub = NULL;
	if ((rc = helm_chart_load(a, path, load_limits(), &sub)))
		return err_set(rc, "failed to load downloaded archive of version '%s': %s", cv.version,
			       err_msg());
	if (req->alias && *req->alias)
		sub->metadata.name = req->alias;
	add_dependency(a, chart, sub);
	return 0;
}

int helmchart_build_dependencies(struct helmchart *c, struct helm_chart *chart, const char *workdir,
				 const char *chart_rel, size_t *resolved)
{
	*resolved = 0;
	struct dep_req *reqs = NULL;
	size_t n = 0;
	int rc = requirements(c->a, chart, &reqs, &n);
	if (rc)
		return rc;
	if (n == chart->ndependencies)
		return 0;
	struct deps d = { .c = c, .workdir = workdir, .chart_rel = chart_rel };
	size_t present = chart->ndependencies;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct dep_req *req = &reqs[i];
		const char *name = req->alias && *req->alias ? req->alias : str(req->name);
		bool found = false;
		for (size_t j = 0; j < present && !found; j++)
			found = chart->dependencies[j]->metadata.name &&
				!strcmp(chart->dependencies[j]->metadata.name, name);
		if (found)
			continue;
		const char *repo = str(req->repository);
		bool local = !*repo || !strncmp(repo, "file://", 7);
		rc = local ? add_local(&d, chart, req) : add_remote(&d, chart, req);
		if (rc)
			rc = err_set(rc, "failed to add %s dependency '%s': %s", local ? "local" : "remote",
				     name, err_msg());
		else
			(*resolved)++;
	}
	for (size_t i = 0; i < d.nrepos; i++)
		chart_repo_release(&d.repos[i]);
	return rc;
}
