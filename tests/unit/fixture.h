/*
 * Shared set-up for the unit tests: what several test programs wrote for themselves. Include
 * it after test.h. Everything here is static inline in one program's only translation unit,
 * and the part a test may use follows the modules it links (so that a util test never needs
 * the runtime): define the section's macro before the include.
 *
 *   always (util):    fixture_tmpdir, fixture_rmdir, fixture_write, fixture_read,
 *                     fixture_sh, WAIT_FOR, fixture_port
 *   FIXTURE_DOC:      fixture_yaml (one YAML document into an arena)
 *   FIXTURE_HTTP:     fixture_http (one request to a loopback server, with libcurl)
 *   FIXTURE_RUNTIME:  fixture_fake_controller, a fake reconcile for runtime tests
 *                     (implies FIXTURE_DOC)
 *
 * The helpers abort with a message when the set-up itself fails (a directory that cannot be
 * made, a test YAML that does not parse): that is a broken test, not a failed check.
 */
#ifndef TIDE_TEST_FIXTURE_H
#define TIDE_TEST_FIXTURE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/fs.h"
#include "util/xalloc.h"

/* ---- Files -----------------------------------------------------------------------------*/

/* A fresh directory $TMPDIR/tide-NAME-XXXXXX (TMPDIR defaults to /tmp). The path is the
 * caller's: fixture_rmdir removes the tree and frees it. */
static inline char *fixture_tmpdir(const char *name)
{
	const char *t = getenv("TMPDIR");
	char *p = xasprintf("%s/tide-%s-XXXXXX", t && *t ? t : "/tmp", name);
	if (!mkdtemp(p)) {
		fprintf(stderr, "fixture: cannot make %s\n", p);
		abort();
	}
	return p;
}

/* Removes the tree at path (not following symlinks) and frees path. */
static inline void fixture_rmdir(char *path)
{
	if (path)
		fs_rm_rf(path);
	free(path);
}

/* Writes text to dir/rel, making the missing directories of rel first. */
static inline void fixture_write(const char *dir, const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", dir, rel);
	char *slash = strrchr(p, '/');
	*slash = '\0';
	int rc = fs_mkdir_p(p);
	*slash = '/';
	if (rc || fs_write_atomic(p, text, strlen(text), 0644)) {
		fprintf(stderr, "fixture: cannot write %s\n", p);
		abort();
	}
	free(p);
}

/* The contents of dir/rel as a heap string (the caller frees it), or NULL when it cannot be
 * read. */
static inline char *fixture_read(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel);
	struct buf b = BUF_INIT;
	char *s = fs_read_file(p, 0, &b) ? NULL : xstrdup(b.ptr);
	buf_release(&b);
	free(p);
	return s;
}

/* Runs the shell command made from fmt and its arguments (printf-style); aborts, naming the
 * command, when it fails: a test's set-up (git init, a commit) that did not happen. */
static inline void fixture_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void fixture_sh(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *cmd = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(cmd, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (system(cmd) != 0) {
		fprintf(stderr, "fixture: command failed: %s\n", cmd);
		abort();
	}
	free(cmd);
}

/* ---- Time and ports ------------------------------------------------------------------*/

/* Evaluates cond every 50 ms until it holds or ms milliseconds have passed; the value is
 * whether it held (a statement expression: CHECK(WAIT_FOR(x == 1, 5000))). */
#define WAIT_FOR(cond, ms)                                      \
	({                                                      \
		int64_t end_ = clock_mono_ms() + (ms);          \
		bool ok_;                                       \
		while (!(ok_ = (cond)) && clock_mono_ms() < end_) \
			usleep(50000);                          \
		ok_;                                            \
	})

/* A free loopback port for a server the test starts, reserved for this process until it
 * exits by test/ports (run from the repository's root, as scripts/test and the e2e scripts
 * run the tests): no other test, script or test run on the machine is handed it. A server
 * that can bind "127.0.0.1:0" and report its port needs none of this. */
static inline int fixture_port(void)
{
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "test/ports reserve --owner %d", (int)getpid());
	FILE *f = popen(cmd, "r");
	int port = 0;
	if (!f || fscanf(f, "%d", &port) != 1)
		port = 0;
	if (f)
		pclose(f);
	if (port <= 0) {
		fprintf(stderr, "fixture: test/ports gave no port (run from the repository's root)\n");
		abort();
	}
	return port;
}

/* ---- Documents -----------------------------------------------------------------------*/

#if defined(FIXTURE_DOC) || defined(FIXTURE_RUNTIME)
#include "doc/doc.h"
#include "util/arena.h"
#include "util/error.h"

/* The one YAML document of text, parsed into a (owned by the arena). */
static inline struct doc_node *fixture_yaml(struct arena *a, const char *yaml)
{
	struct doc_stream s = { 0 };
	if (doc_parse_yaml(a, "test", yaml, strlen(yaml), NULL, &s) != 0 || s.len != 1) {
		fprintf(stderr, "fixture: bad test yaml (%s):\n%s\n", err_msg(), yaml);
		abort();
	}
	return s.docs[0];
}
#endif

/* ---- HTTP ----------------------------------------------------------------------------*/

#ifdef FIXTURE_HTTP
#include <curl/curl.h>

static inline size_t fixture_http_sink(char *p, size_t size, size_t n, void *ud)
{
	buf_add(ud, p, size * n);
	return size * n;
}

/* METHOD http://127.0.0.1:PORT/PATH (HEAD asks for no body); appends the body to out, after
 * the response's header lines when headers is true. The HTTP status, or -1 when there was
 * no answer within 10 s. */
static inline long fixture_http(int port, const char *method, const char *path, struct buf *out,
				bool headers)
{
	CURL *c = curl_easy_init();
	char url[256];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (!strcmp(method, "HEAD"))
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fixture_http_sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	if (headers) {
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, fixture_http_sink);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	}
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	long status = -1;
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	return status;
}
#endif

/* ---- A fake reconcile for runtime tests ------------------------------------------------*/

#ifdef FIXTURE_RUNTIME
#include <pthread.h>

#include "runtime/conditions.h"
#include "runtime/controller.h"
#include "runtime/events.h"
#include "util/log.h"

/* Who the fake reconciler says it is, in its Ready message and its events. */
static const char *fixture_fake_identity = "in-process";

#define FIXTURE_FAKE_NAMES 16
static pthread_mutex_t fixture_fake_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char name[64];
	int reconciles, finalizes;
} fixture_fake_counts[FIXTURE_FAKE_NAMES];

static inline void fixture_fake_bump(const char *name, bool finalize)
{
	pthread_mutex_lock(&fixture_fake_mu);
	for (int i = 0; i < FIXTURE_FAKE_NAMES; i++) {
		if (!fixture_fake_counts[i].name[0])
			snprintf(fixture_fake_counts[i].name, sizeof(fixture_fake_counts[i].name), "%s", name);
		if (!strcmp(fixture_fake_counts[i].name, name)) {
			if (finalize)
				fixture_fake_counts[i].finalizes++;
			else
				fixture_fake_counts[i].reconciles++;
			break;
		}
	}
	pthread_mutex_unlock(&fixture_fake_mu);
}

/* How many times the fake reconciler reconciled (or finalized) the objects named name, in
 * any namespace. Thread-safe. */
static inline int fixture_fake_count(const char *name, bool finalize)
{
	int n = 0;
	pthread_mutex_lock(&fixture_fake_mu);
	for (int i = 0; i < FIXTURE_FAKE_NAMES; i++)
		if (!strcmp(fixture_fake_counts[i].name, name))
			n = finalize ? fixture_fake_counts[i].finalizes : fixture_fake_counts[i].reconciles;
	pthread_mutex_unlock(&fixture_fake_mu);
	return n;
}

/* The reconcile, steered by the object's annotations: test/fail fails it (ERR_INVALID,
 * "failing on purpose"); test/dependency marks Ready=False DependencyNotReady and requeues
 * after 200 ms; otherwise Ready=True "reconciled by <identity>", a Normal event with a
 * revision annotation, and a log line. */
static inline int fixture_fake_reconcile(struct rt_reconcile *r, struct rt_result *res)
{
	struct doc_node *obj = rt_object_doc(r);
	fixture_fake_bump(rt_name(r), false);
	if (doc_get(obj, "metadata.annotations.test/fail"))
		return err_set(ERR_INVALID, "failing on purpose");
	if (doc_get(obj, "metadata.annotations.test/dependency")) {
		rt_cond_mark_false(rt_arena(r), obj, RT_COND_READY, RT_REASON_DEPENDENCY_NOT_READY,
				   "waiting");
		res->outcome = RT_REQUEUE;
		res->requeue_after_ms = 200;
		return 0;
	}
	rt_cond_delete(obj, RT_COND_RECONCILING);
	rt_cond_mark_true(rt_arena(r), obj, RT_COND_READY, RT_REASON_SUCCEEDED, "reconciled by %s",
			  fixture_fake_identity);
	rt_eventf(r, RT_EVENT_NORMAL, RT_REASON_SUCCEEDED,
		  (const char *const[]){ "source.toolkit.fluxcd.io/revision", "main@sha1:0", NULL },
		  "reconciled by %s", fixture_fake_identity);
	rt_log(r, LOG_INFO, "reconciled", "identity", fixture_fake_identity, NULL);
	return 0;
}

static inline int fixture_fake_finalize(struct rt_reconcile *r)
{
	fixture_fake_bump(rt_name(r), true);
	return 0;
}

/* The fake controller "testrepo" on source.toolkit.fluxcd.io/v1 GitRepository (the CRDs of
 * `tide install`), as source-controller for its events. */
static const struct rt_controller fixture_fake_controller = {
	.name = "testrepo",
	.group = "source.toolkit.fluxcd.io",
	.version = "v1",
	.kind = "GitRepository",
	.component = "source-controller",
	.reconcile = fixture_fake_reconcile,
	.finalize = fixture_fake_finalize,
};
#endif

#endif
