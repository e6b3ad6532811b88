/*
 * Rendering a Helm chart as helm v4.1.4 does: the engine (pkg/engine: every template of the
 * chart and its enabled subcharts parsed into one set and executed with its chart's scope),
 * then what `helm install` does with the output (action.renderResources: NOTES.txt taken
 * out, documents split, hooks separated, manifests sorted in kind order, CRDs), and what
 * `helm template` prints (hooks after manifests, --show-only, --skip-tests, --no-hooks).
 *
 * A chart and its values are tenant input: the template engine's caps apply to every
 * template (output, depth, memory, time), include is capped at Helm's 1,000 nested calls,
 * and errors are worded as helm words them, so a user sees the same message.
 */
#ifndef TIDE_HELM_RENDER_H
#define TIDE_HELM_RENDER_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;
struct helm_chart;
struct tlimits;
struct tv;

struct helm_render_options {
	const char *release_name;   /* required; validated as helm validates release names */
	const char *namespace;      /* NULL or "": "default" */
	bool is_upgrade;            /* .Release.IsUpgrade instead of .Release.IsInstall */
	int revision;               /* .Release.Revision; 0 means 1 */
	const char *kube_version;   /* --kube-version; NULL: helm v4.1.4's default v1.35.0 */
	const char *const *api_versions; /* --api-versions, added to helm's default set */
	size_t napi_versions;
	bool skip_schema_validation;
	bool include_crds;          /* crds/ files first in the manifest */
	const struct tlimits *limits; /* the template engine's caps; NULL for defaults */
	/* `lookup`'s cluster (render_int.h's helm_lookup_fn); NULL: lookup finds nothing. */
	void *lookup;
	void *lookup_ctx;
};

/* One hook (a document with a helm.sh/hook annotation of known events). */
struct helm_hook {
	const char *path;     /* "chart/templates/x.yaml" */
	const char *manifest; /* the document, trimmed */
	const char *kind, *name;
	int weight;           /* helm.sh/hook-weight, 0 when absent or not a number */
	bool test;            /* among its events: test (or test-success) */
};

/* One document of a release's manifest: "---\n# Source: SOURCE\n" CONTENT "\n". */
struct helm_manifest_part {
	const char *source;   /* "chart/templates/x.yaml" */
	const char *content;
	size_t len;           /* of content */
};

/* A release as `helm install --dry-run` makes it. Everything is in the caller's arena. The
 * manifest is kept in parts (it is megabytes for big charts, and `helm template` streams it
 * out): the string a release stores is helm_release_manifest's join of them. */
struct helm_release_render {
	const struct helm_manifest_part *parts; /* per CRD (with include_crds), then per
						 * manifest in install order */
	size_t nparts;
	size_t manifest_len;    /* of the joined manifest */
	struct helm_hook *hooks; /* sorted by kind in install order */
	size_t nhooks;
	const char *notes;      /* the root chart's rendered NOTES.txt, "" when none */
	/* Set when the error came from rendering itself (helm then has a partial release, and
	 * `helm template` adds "Use --debug flag to render out invalid YAML"). */
	bool render_failed;
};

/*
 * Renders chart with user values (the -f/--set values already merged; NULL for none): the
 * release name checked, dependencies processed and values coalesced (helm_values_coalesce),
 * validated against the schemas (unless skip_schema_validation), the chart's kubeVersion
 * checked, every template rendered, and the output split and sorted. 0, or ERR_INVALID,
 * ERR_TOOBIG, ERR_TIMEOUT with helm's message in err_msg(). chart is changed (disabled
 * dependencies are removed).
 */
int helm_render_release(struct arena *a, struct helm_chart *chart, struct tv *user,
			const struct helm_render_options *o, struct helm_release_render *out);

/* The release manifest joined into one string, in a. */
const char *helm_release_manifest(struct arena *a, const struct helm_release_render *r);

struct helm_template_options {
	bool no_hooks;        /* --no-hooks */
	bool skip_tests;      /* --skip-tests */
	const char *const *show_only; /* --show-only patterns (filepath.Match on "templates/x.yaml") */
	size_t nshow_only;
};

/* Where helm_template_write sends its output, in pieces. */
typedef void helm_write_fn(void *ctx, const char *data, size_t len);

/* What `helm template` prints for r, handed to write in pieces (nothing when it fails).
 * ERR_NOTFOUND "could not find template %s in chart" for a --show-only pattern that
 * matches nothing. */
int helm_template_write(struct arena *a, const struct helm_release_render *r,
			const struct helm_template_options *o, helm_write_fn *write, void *ctx);
/* The same appended to out. */
int helm_template_output(struct arena *a, const struct helm_release_render *r,
			 const struct helm_template_options *o, struct buf *out);

/* ERR_INVALID "invalid kube version '%s': ..." when v is no Kubernetes version
 * (k8s.io/apimachinery's ParseGeneric), as --kube-version is checked. */
int helm_check_kube_version(const char *v);

/* The split of a rendered file into documents (releaseutil.SplitManifests): the text cut at
 * every "---" that starts a line (with the whitespace around it), each piece trimmed,
 * empty ones dropped. Returns the count; *out (in a) holds the documents. */
size_t helm_split_manifests(struct arena *a, const char *text, size_t len, const char ***out);

#endif
