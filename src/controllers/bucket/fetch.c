/*
 * The Bucket's source step, as Flux's fetchEtagIndex and fetchIndexFiles: the bucket's
 * existence confirmed, its .sourceignore (at the bucket's root, whatever the prefix; kept in
 * the artifact as Flux keeps it), the objects listed under spec.prefix, page after page, with
 * directories, the .sourceignore itself and what the ignore rules (.sourceignore, then
 * spec.ignore) exclude left out of the index; then every indexed object downloaded into the
 * scratch directory by BUCKET_FETCH_WORKERS threads, each with its own S3 client.
 *
 * Untrusted: every key. One that is not a plain relative path (an empty, "." or ".."
 * segment, a leading '/', a control character) is refused before anything is downloaded,
 * so no object is ever written outside the directory; files are created with O_NOFOLLOW
 * in directories this step made. Caps: the object count and key length (the listing), one
 * object's size (as listed and as downloaded), the total of all sizes, and spec.timeout for
 * the listing and for the downloads.
 *
 * Flux downloads every object again when the revision changed, and so does tide.
 * NEEDSWORK: keep the last index and the files beside the artifact and fetch only the
 * objects whose ETag changed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "controllers/bucket/bucket.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "source/ignore.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define SOURCEIGNORE ".sourceignore"

static int failed(struct bucket *b, int rc, const char *msg)
{
	bucket_mark_failed(b, COND_FETCH_FAILED, REASON_BUCKET_FAILED, msg);
	return err_set(rc ? rc : ERR_GENERIC, "%s", msg);
}

/* key for a message: control characters as '?', at most 256 bytes. */
static const char *printable(struct arena *a, const char *key)
{
	size_t n = strlen(key);
	bool cut = n > 256;
	if (cut)
		n = 256;
	char *s = arena_alloc(a, n + 4);
	for (size_t i = 0; i < n; i++)
		s[i] = (unsigned char)key[i] < 0x20 || key[i] == 0x7f ? '?' : key[i];
	memcpy(s + n, cut ? "..." : "", cut ? 4 : 1);
	return s;
}

/* The .sourceignore at the bucket's root into dir, and its rules; absent is fine. */
static int load_sourceignore(struct bucket *b, struct ignore_rules *ign)
{
	const char *path = arena_sprintf(b->a, "%s/%s", b->dir, SOURCEIGNORE);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_set(ERR_IO, "failed to get Etag for '%s' object: open: %s", SOURCEIGNORE,
			       strerror(errno));
	struct s3_get_result res;
	int rc = s3_get_object(b->client, SOURCEIGNORE, fd, &res);
	close(fd);
	if (rc == ERR_NOTFOUND) {
		err_clear();
		unlink(path);
		return 0;
	}
	if (rc)
		return err_set(rc, "failed to get Etag for '%s' object: %s", SOURCEIGNORE, err_msg());
	struct buf text = BUF_INIT;
	rc = fs_read_regular_file(path, BUCKET_MAX_SOURCEIGNORE_BYTES, &text);
	if (!rc)
		rc = ignore_add(ign, "", text.ptr, text.len);
	buf_release(&text);
	if (rc)
		return err_set(rc, "'%s' object: %s", SOURCEIGNORE, err_msg());
	return 0;
}

static bool is_dir_key(const char *key)
{
	size_t n = strlen(key);
	return n && key[n - 1] == '/';
}

/* The listing filtered into the index, with the caps. */
static int index_objects(struct bucket *b, const struct ignore_rules *ign, const struct s3_list *l)
{
	uint64_t total = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct s3_object *o = &l->obj[i];
		if (is_dir_key(o->key) || !strcmp(o->key, SOURCEIGNORE))
			continue;
		if (ignore_match(ign, o->key, 0))
			continue;
		if (!bucket_key_is_safe(o->key))
			return err_set(ERR_INVALID, "object key '%s' is not a relative path inside the bucket "
				       "(an empty, '.' or '..' segment, a leading '/' or a control "
				       "character): refused, nothing is written outside the artifact",
				       printable(b->a, o->key));
		if (o->size < 0 || (uint64_t)o->size > BUCKET_MAX_OBJECT_BYTES)
			return err_set(ERR_TOOBIG, "object '%s' is %lld bytes, more than the %llu bytes "
				       "one object may have", printable(b->a, o->key), (long long)o->size,
				       (unsigned long long)BUCKET_MAX_OBJECT_BYTES);
		total += (uint64_t)o->size;
		if (total > BUCKET_MAX_TOTAL_BYTES)
			return err_set(ERR_TOOBIG, "the objects are more than the %llu bytes an artifact "
				       "may hold", (unsigned long long)BUCKET_MAX_TOTAL_BYTES);
		bucket_index_add(&b->index, o->key, o->etag ? o->etag : "", o->size);
	}
	return 0;
}

int bucket_index_build(struct bucket *b)
{
	const char *name = b->spec.bucket_name;
	bool exists = false;
	int rc = s3_bucket_exists(b->client, &exists);
	if (rc)
		return failed(b, rc, arena_sprintf(b->a, "failed to confirm existence of '%s' bucket: %s",
						   name, err_msg()));
	if (!exists)
		return failed(b, ERR_NOTFOUND, arena_sprintf(b->a, "bucket '%s' not found", name));
	struct ignore_rules *ign = ignore_new();
	rc = load_sourceignore(b, ign);
	const struct doc_node *spec_ignore = b->spec.ignore;
	if (!rc && spec_ignore && spec_ignore->kind == DOC_STR &&
	    (rc = ignore_add(ign, "", spec_ignore->u.str.ptr, spec_ignore->u.str.len)))
		err_wrap(rc, "spec.ignore");
	if (rc) {
		ignore_free(ign);
		return failed(b, rc, arena_strdup(b->a, err_msg()));
	}
	struct s3_list l = S3_LIST_INIT;
	rc = s3_list_objects(b->client, b->spec.prefix, &l);
	if (rc)
		err_wrap(rc, "listing objects from bucket '%s' failed", name);
	else
		rc = index_objects(b, ign, &l);
	s3_list_release(&l);
	ignore_free(ign);
	if (rc)
		return failed(b, rc, arena_sprintf(b->a, "indexation of objects from bucket '%s' failed: %s",
						   name, err_msg()));
	bucket_index_sort(&b->index);
	char rev[72];
	bucket_index_digest(&b->index, rev);
	b->revision = arena_strdup(b->a, rev);
	return 0;
}

/* ---- The downloads ----------------------------------------------------------------------*/

struct pool {
	struct bucket *b;
	pthread_mutex_t mu;
	size_t next;          /* the next entry to fetch */
	uint64_t total;       /* bytes written */
	int rc;               /* the first failure ... */
	char msg[1024];       /* ... and its message */
	bool *gone;           /* entries that disappeared since the listing */
	char **etags;         /* a new ETag seen on download, or NULL */
};

static void pool_fail(struct pool *p, int rc, const char *msg)
{
	pthread_mutex_lock(&p->mu);
	if (!p->rc) {
		p->rc = rc;
		snprintf(p->msg, sizeof p->msg, "%s", msg);
	}
	pthread_mutex_unlock(&p->mu);
}

/* One object to its file: parent directories made, the file created afresh. */
static int fetch_one(struct pool *p, struct s3_client *c, size_t i)
{
	struct bucket *b = p->b;
	const struct bucket_entry *e = &b->index.e[i];
	struct buf path = BUF_INIT;
	buf_addf(&path, "%s/%s", b->dir, e->key);
	char *slash = strrchr(path.ptr, '/');
	int rc = 0;
	*slash = '\0';
	if (fs_mkdir_p(path.ptr))
		rc = err_set(ERR_IO, "mkdir: %s", err_msg());
	*slash = '/';
	int fd = -1;
	if (!rc && (fd = open(path.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0)
		rc = err_set(ERR_IO, "open: %s", strerror(errno));
	buf_release(&path);
	if (rc)
		return rc;
	struct s3_get_result res;
	rc = s3_get_object(c, e->key, fd, &res);
	close(fd);
	if (rc == ERR_NOTFOUND) {
		/* deleted since the listing: left out, as Flux does */
		err_clear();
		p->gone[i] = true;
		return 0;
	}
	if (rc)
		return rc;
	pthread_mutex_lock(&p->mu);
	p->total += res.size;
	bool over = p->total > BUCKET_MAX_TOTAL_BYTES;
	pthread_mutex_unlock(&p->mu);
	if (over)
		return err_set(ERR_TOOBIG, "the objects are more than the %llu bytes an artifact may hold",
			       (unsigned long long)BUCKET_MAX_TOTAL_BYTES);
	if (res.etag[0] && strcmp(res.etag, e->etag))
		p->etags[i] = xstrdup(res.etag);
	return 0;
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct bucket *b = p->b;
	struct s3_config cfg = b->cfg;
	int64_t left = b->deadline_ms - clock_mono_ms();
	if (left < 1000)
		left = 1000;
	if (cfg.net.timeout_ms <= 0 || cfg.net.timeout_ms > left)
		cfg.net.timeout_ms = left;
	struct s3_client *c = NULL;
	if (s3_client_new(&c, &cfg)) {
		pool_fail(p, ERR_GENERIC, err_msg());
		return NULL;
	}
	for (;;) {
		pthread_mutex_lock(&p->mu);
		size_t i = p->next++;
		bool stop = p->rc != 0 || i >= b->index.n;
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
		int rc = clock_mono_ms() > b->deadline_ms
				 ? err_set(ERR_TIMEOUT, "the timeout of %lld ms passed",
					   (long long)b->spec.timeout_ms)
				 : fetch_one(p, c, i);
		if (rc) {
			char msg[1024];
			snprintf(msg, sizeof msg, "failed to get '%.256s' object: %s", b->index.e[i].key,
				 err_msg());
			for (char *q = msg; *q; q++)
				if ((unsigned char)*q < 0x20)
					*q = '?';
			pool_fail(p, rc, msg);
			break;
		}
	}
	s3_client_free(c);
	return NULL;
}

/* The index after the downloads: objects gone dropped, new ETags taken (Flux's Delete and
 * Add), the revision computed again. */
static void update_index(struct bucket *b, struct pool *p)
{
	struct bucket_index *ix = &b->index;
	size_t w = 0;
	for (size_t i = 0; i < ix->n; i++) {
		if (p->gone[i]) {
			rt_log(b->r, LOG_INFO, "indexed object disappeared from bucket", "key",
			       printable(b->a, ix->e[i].key), "bucket", b->spec.bucket_name, NULL);
			free(ix->e[i].key);
			free(ix->e[i].etag);
			free(p->etags[i]);
			continue;
		}
		if (p->etags[i]) {
			free(ix->e[i].etag);
			ix->e[i].etag = p->etags[i];
		}
		ix->e[w++] = ix->e[i];
	}
	ix->n = w;
	char rev[72];
	bucket_index_digest(ix, rev);
	b->revision = arena_strdup(b->a, rev);
}

int bucket_fetch(struct bucket *b)
{
	size_t n = b->index.n;
	struct pool p = { .b = b };
	pthread_mutex_init(&p.mu, NULL);
	p.gone = xcalloc(n ? n : 1, sizeof(*p.gone));
	p.etags = xcalloc(n ? n : 1, sizeof(*p.etags));
	size_t nworkers = n < BUCKET_FETCH_WORKERS ? n : BUCKET_FETCH_WORKERS;
	pthread_t tids[BUCKET_FETCH_WORKERS];
	size_t started = 0;
	for (; started < nworkers; started++)
		if (pthread_create(&tids[started], NULL, worker, &p))
			break;
	if (nworkers && !started)
		pool_fail(&p, ERR_GENERIC, "could not start a download thread");
	for (size_t i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	int rc = p.rc;
	if (!rc)
		update_index(b, &p);
	else
		for (size_t i = 0; i < n; i++)
			free(p.etags[i]);
	free(p.gone);
	free(p.etags);
	pthread_mutex_destroy(&p.mu);
	if (rc)
		return failed(b, rc, arena_sprintf(b->a, "fetch from bucket '%s' failed: %s",
						   b->spec.bucket_name, p.msg));
	return 0;
}
