/*
 * What the `tide create ...` subcommands share (create.h): flux's common create flags,
 * building the object, printing it for --export, upserting it as flux's upsert<Kind> does,
 * the credentials Secrets flux writes beside a source, and waiting for the object with the
 * progress lines flux prints. Each kind's command is in its own create_<kind>.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli/connect.h"
#include "cli/create.h"
#include "cli/flags.h"
#include "cli/wait.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/duration.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/banned.h"

size_t create_common_flags(struct cli_flag *f, struct create_common *cc)
{
	cli_global_flags(f, &cc->g);
	size_t n = CLI_GLOBAL_FLAG_COUNT;
	cc->interval_ms = 60000;
	f[n++] = (struct cli_flag){ "interval", 0, FLAG_DURATION, &cc->interval_ms, "source sync interval", "1m0s" };
	f[n++] = (struct cli_flag){ "export", 0, FLAG_BOOL, &cc->export, "export in YAML format to stdout", "false" };
	f[n++] = (struct cli_flag){ "label", 0, FLAG_STRINGS, &cc->labels,
				    "set labels on the resource (can specify multiple labels with commas: label1=value1,label2=value2)", "[]" };
	return n;
}

bool create_parse(int *exit_code, const char **name, struct create_common *cc, int argc, char **argv,
		  const struct cli_flag *f, size_t n, const struct cli_usage *u)
{
	const char *args[2];
	size_t nargs;
	*name = NULL;
	if (cli_parse_verb(exit_code, argc, argv, f, n, args, 2, &nargs, &cc->g.help, u))
		return true;
	if (nargs != 1) {
		*exit_code = cli_fail("name is required");
		return true;
	}
	*name = args[0];
	return false;
}

struct doc_node *create_str(struct arena *a, const char *s)
{
	return doc_new_str(a, s);
}

struct doc_node *create_duration(struct arena *a, int64_t ms)
{
	char b[64];
	return doc_new_str(a, duration_format(b, sizeof(b), ms));
}

struct doc_node *create_name_ref(struct arena *a, const char *name)
{
	struct doc_node *m = doc_new_map(a);
	doc_map_set(a, m, "name", create_str(a, name));
	return m;
}

void create_set_lines(struct arena *a, struct doc_node *map, const char *key, const struct cli_strings *l)
{
	if (!l->len)
		return;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < l->len; i++)
		buf_addf(&b, "%s%s", i ? "\n" : "", l->items[i]);
	doc_map_set(a, map, key, create_str(a, arena_strndup(a, b.ptr, b.len)));
	buf_release(&b);
}

void create_set_depends_on(struct arena *a, struct doc_node *spec, const struct cli_strings *l)
{
	if (!l->len)
		return;
	struct doc_node *s = doc_new_seq(a);
	for (size_t i = 0; i < l->len; i++) {
		const char *d = l->items[i], *slash = strchr(d, '/');
		struct doc_node *m = doc_new_map(a);
		doc_map_set(a, m, "name", create_str(a, slash ? slash + 1 : d));
		if (slash)
			doc_map_set(a, m, "namespace", create_str(a, arena_strndup(a, d, (size_t)(slash - d))));
		doc_seq_push(a, s, m);
	}
	doc_map_set(a, spec, "dependsOn", s);
}

void create_set_kubeconfig(struct arena *a, struct doc_node *map, const char *key, const char *secret)
{
	if (!create_given(secret))
		return;
	struct doc_node *k = doc_new_map(a);
	doc_map_set(a, k, "secretRef", create_name_ref(a, secret));
	doc_map_set(a, map, key, k);
}

void create_url_scheme(char *out, size_t len, const char *url)
{
	const char *sep = strstr(url, "://");
	out[0] = '\0';
	if (sep && (size_t)(sep - url) < len)
		snprintf(out, len, "%.*s", (int)(sep - url), url);
}

int create_new_object(struct doc_node **out, struct arena *a, const struct create_common *cc,
		      const char *api_version, const char *kind, const char *name)
{
	struct doc_node *obj = doc_new_map(a), *meta = doc_new_map(a);
	doc_map_set(a, obj, "apiVersion", create_str(a, api_version));
	doc_map_set(a, obj, "kind", create_str(a, kind));
	doc_map_set(a, obj, "metadata", meta);
	if (cc->labels.len) {
		struct doc_node *labels = doc_new_map(a);
		for (size_t i = 0; i < cc->labels.len; i++) {
			const char *l = cc->labels.items[i], *eq = strchr(l, '=');
			if (!eq || eq == l)
				return err_set(ERR_INVALID, "invalid label format '%s', must be key=value", l);
			doc_map_set(a, labels, arena_strndup(a, l, (size_t)(eq - l)), create_str(a, eq + 1));
		}
		doc_map_set(a, meta, "labels", labels);
	}
	doc_map_set(a, meta, "name", create_str(a, name));
	doc_map_set(a, meta, "namespace", create_str(a, cli_namespace(&cc->g)));
	*out = obj;
	return 0;
}

void create_print_export(struct doc_node *obj)
{
	struct buf out = BUF_INIT;
	doc_emit_yaml(&out, obj, DOC_EMIT_SORT_KEYS);
	while (out.len && out.ptr[out.len - 1] == '\n')
		out.len--;
	printf("---\n%.*s\n", (int)out.len, out.ptr);
	buf_release(&out);
}

/* Other fields than labels and spec (annotations, say) stay as they are. */
int create_upsert(struct kube_client *c, struct arena *a, const struct kube_resource *r,
		  struct doc_node *obj, const char *what)
{
	const char *ns = doc_get_str(obj, "metadata.namespace"), *name = doc_get_str(obj, "metadata.name");
	struct doc_node *existing;
	int rc = kube_get(&existing, c, a, r, ns, name, NULL);
	if (rc == ERR_NOTFOUND) {
		rc = kube_create(NULL, c, a, obj, NULL);
		if (!rc)
			fprintf(stderr, "✔ %s created\n", what);
		return rc;
	}
	if (rc)
		return rc;
	struct doc_node *labels = doc_get(obj, "metadata.labels");
	if (labels)
		doc_set(a, existing, "metadata.labels", labels);
	else
		doc_delete(existing, "metadata.labels");
	doc_map_set(a, existing, "spec", doc_map_get(obj, "spec"));
	rc = kube_update(NULL, c, a, existing, NULL);
	if (!rc)
		fprintf(stderr, "✔ %s updated\n", what);
	return rc;
}

/* Upserts obj, waits for Ready until deadline and prints the fetched revision. */
static int source_apply_and_wait(struct kube_client *c, struct arena *a, const struct create_common *cc,
				 struct doc_node *obj, const struct source_msgs *m, int64_t deadline)
{
	fprintf(stderr, "► %s\n", m->applying);
	const struct kube_resource *r;
	int rc = cli_find_resource(&r, c, m->api_version, m->kind);
	if (!rc)
		rc = create_upsert(c, a, r, obj, m->upserted);
	if (rc)
		return rc;
	fprintf(stderr, "◎ %s\n", m->waiting);
	const char *message = "";
	struct doc_node *last = NULL;
	rc = cli_wait_ready(c, r, cli_namespace(&cc->g), doc_get_str(obj, "metadata.name"), deadline,
			    &message, &last, a);
	if (rc)
		return rc;
	fprintf(stderr, "✔ %s\n", m->completed);
	if (!m->no_artifact)
		return 0;
	const char *rev = doc_get_str(last, "status.artifact.revision");
	if (!rev)
		return err_set(ERR_NOTFOUND, "%s", m->no_artifact);
	fprintf(stderr, "✔ fetched revision: %s\n", rev);
	return 0;
}

int create_source_finish(struct create_common *cc, struct arena *a, struct doc_node *obj,
			 const struct source_msgs *m, create_source_step_fn before, void *ud)
{
	if (cc->export) {
		create_print_export(obj);
		arena_free(a);
		return 0;
	}
	struct kube_client *c = NULL;
	int rc = cli_connect(&c, &cc->g);
	int64_t deadline = clock_mono_ms() + cc->g.timeout_ms;
	if (!rc && m->generating)
		fprintf(stderr, "✚ %s\n", m->generating);
	if (!rc && before)
		rc = before(ud, c, a, obj);
	if (!rc)
		rc = source_apply_and_wait(c, a, cc, obj, m, deadline);
	kube_client_free(c);
	arena_free(a);
	return rc ? cli_fail("%s", err_msg()) : 0;
}

int create_apply_secret(struct kube_client *c, struct arena *a, struct doc_node *sec)
{
	return kube_apply(NULL, c, a, sec, &(struct kube_opts){ .field_manager = "flux-client", .force = true });
}

struct doc_node *create_new_secret(struct arena *a, const char *ns, const char *name, struct doc_node **data)
{
	struct doc_node *sec = doc_new_map(a), *meta = doc_new_map(a);
	*data = doc_new_map(a);
	doc_map_set(a, sec, "apiVersion", create_str(a, "v1"));
	doc_map_set(a, sec, "kind", create_str(a, "Secret"));
	doc_map_set(a, meta, "name", create_str(a, name));
	doc_map_set(a, meta, "namespace", create_str(a, ns));
	doc_map_set(a, sec, "metadata", meta);
	doc_map_set(a, sec, "stringData", *data);
	return sec;
}

int create_apply_basic_auth(struct kube_client *c, struct arena *a, const char *ns, const char *name,
			    const char *user, const char *password)
{
	struct doc_node *data, *sec = create_new_secret(a, ns, name, &data);
	doc_map_set(a, data, "username", create_str(a, user ? user : ""));
	doc_map_set(a, data, "password", create_str(a, password ? password : ""));
	fprintf(stderr, "► applying secret with repository credentials\n");
	int rc = create_apply_secret(c, a, sec);
	if (!rc)
		fprintf(stderr, "✔ authentication configured\n");
	return rc;
}

int create_apply_and_wait(struct create_common *cc, struct arena *a, struct doc_node *obj, bool is_static,
			  const char *report, const char *report_path)
{
	if (cc->export) {
		create_print_export(obj);
		arena_free(a);
		return 0;
	}
	struct kube_client *c = NULL;
	const char *name = doc_get_str(obj, "metadata.name"), *kind = doc_get_str(obj, "kind");
	int rc = cli_connect(&c, &cc->g);
	if (rc)
		goto out;
	int64_t deadline = clock_mono_ms() + cc->g.timeout_ms;
	fprintf(stderr, "► applying %s\n", kind);
	const struct kube_resource *r;
	rc = cli_find_resource(&r, c, doc_get_str(obj, "apiVersion"), kind);
	if (!rc)
		rc = create_upsert(c, a, r, obj, kind);
	if (rc)
		goto out;
	fprintf(stderr, "◎ waiting for %s reconciliation\n", kind);
	struct doc_node *last = NULL;
	if (is_static) {
		rc = kube_get(&last, c, a, r, cli_namespace(&cc->g), name, NULL);
	} else {
		const char *message = "";
		rc = cli_wait_ready(c, r, cli_namespace(&cc->g), name, deadline, &message, &last, a);
	}
	if (rc)
		goto out;
	fprintf(stderr, "✔ %s %s is ready\n", kind, name);
	if (report) {
		const char *v = doc_get_str(last, report_path);
		fprintf(stderr, "✔ %s %s\n", report, v ? v : "");
	}
out:
	kube_client_free(c);
	arena_free(a);
	return rc ? cli_fail("%s", err_msg()) : 0;
}


int create_upsert_and_wait(struct create_common *cc, struct arena *a, struct doc_node *obj)
{
	if (cc->export) {
		create_print_export(obj);
		arena_free(a);
		return 0;
	}
	const char *kind = doc_get_str(obj, "kind");
	int64_t deadline = clock_mono_ms() + cc->g.timeout_ms;
	struct kube_client *c = NULL;
	const struct kube_resource *r;
	int rc = cli_connect(&c, &cc->g);
	if (!rc) {
		fprintf(stderr, "✚ generating %s\n► applying %s\n", kind, kind);
		rc = cli_find_resource(&r, c, doc_get_str(obj, "apiVersion"), kind);
	}
	if (!rc)
		rc = create_upsert(c, a, r, obj, kind);
	if (!rc) {
		fprintf(stderr, "◎ waiting for %s reconciliation\n", kind);
		const char *message = "";
		rc = cli_wait_ready(c, r, cli_namespace(&cc->g), doc_get_str(obj, "metadata.name"), deadline,
				    &message, NULL, a);
	}
	if (!rc)
		fprintf(stderr, "✔ %s reconciliation completed\n", kind);
	kube_client_free(c);
	arena_free(a);
	return rc ? cli_fail("%s", err_msg()) : 0;
}

int create_read_file(const char **out, struct arena *a, const char *path, const char *what)
{
	struct buf b = BUF_INIT;
	int rc = fs_read_file(path, 1 << 20, &b);
	if (rc) {
		rc = err_set(rc, "%s: open %s: %s", what, path, rc == ERR_NOTFOUND ? "no such file or directory" : err_msg());
		buf_release(&b);
		return rc;
	}
	*out = arena_strndup(a, b.ptr ? b.ptr : "", b.len);
	buf_release(&b);
	return 0;
}

void create_set_verify(struct arena *a, struct doc_node *spec, const char *provider,
		       const char *secret_ref, const char *issuer, const char *subject)
{
	struct doc_node *v = doc_new_map(a);
	if (create_given(issuer) || create_given(subject)) {
		struct doc_node *seq = doc_new_seq(a), *m = doc_new_map(a);
		doc_map_set(a, m, "issuer", create_str(a, issuer ? issuer : ""));
		doc_map_set(a, m, "subject", create_str(a, subject ? subject : ""));
		doc_seq_push(a, seq, m);
		doc_map_set(a, v, "matchOIDCIdentity", seq);
	}
	doc_map_set(a, v, "provider", create_str(a, provider));
	if (create_given(secret_ref))
		doc_map_set(a, v, "secretRef", create_name_ref(a, secret_ref));
	doc_map_set(a, spec, "verify", v);
}
