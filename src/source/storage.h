/*
 * Artifact storage: the one place every source kind (GitRepository today; OCIRepository,
 * HelmChart, Bucket next) keeps, names, writes, locks, garbage-collects and serves its
 * artifacts, as Flux's source-controller storage does.
 *
 * Layout under the root (--storage-path), Flux's for what is served:
 *   <kind>/<namespace>/<name>/<file>       artifacts (kind lower-cased), served at /<path>
 *   <kind>/<namespace>/<name>/.lock        the object's lock (flock)
 *   <kind>/<namespace>/<name>/.<file>.*.tmp an artifact being written (renamed when whole)
 *   .cache/...                              the kinds' own caches (a Git repository's objects)
 *   .tmp/run-XXXXXX/                        this process's scratch directories
 * Names starting with '.' are never served (runtime/http's file handler), so caches, locks
 * and partial files stay private.
 *
 * Invariants: a reader of <kind>/<ns>/<name>/<file> sees a whole artifact or none (written
 * to a temporary name, fsynced, renamed, the directory fsynced); the artifact an object's
 * status names is never garbage-collected; what a crash leaves (temporary artifacts, scratch
 * directories of a dead process) is removed, never served.
 *
 * Thread safety: a struct storage is shared by every worker; all functions may be called
 * concurrently. Writers of one object serialise on its lock (storage_lock).
 */
#ifndef TIDE_SOURCE_STORAGE_H
#define TIDE_SOURCE_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rt_http;

/* Flux's defaults for --artifact-retention-ttl and --artifact-retention-records. */
#define STORAGE_DEFAULT_RETENTION_TTL_MS 60000
#define STORAGE_DEFAULT_RETENTION_RECORDS 2

struct storage_opts {
	int64_t retention_ttl_ms; /* older non-current artifacts are deleted; 0 = 60 s */
	int retention_records;    /* at most this many artifacts per object; 0 = 2 */
};

/* What an atomic write produced. */
struct artifact_info {
	char digest[72]; /* "sha256:<64 hex>" of the bytes written */
	uint64_t size;   /* bytes written */
};

/* One object's place in storage: its kind ("GitRepository"), namespace and name. */
struct storage_object {
	const char *kind, *ns, *name;
};

struct storage;

/* Opens (creating it when missing) the storage rooted at root, and removes the scratch
 * directories a process that is gone left behind. o may be NULL (Flux's defaults). Returns
 * 0 and *out (freed with storage_free), or ERR_IO naming the path. */
int storage_open(struct storage **out, const char *root, const struct storage_opts *o);

/* Removes this process's scratch directories and frees s. NULL is allowed. */
void storage_free(struct storage *s);

/* The absolute, resolved root. Borrowed. */
const char *storage_root(const struct storage *s);

/* The artifact's path relative to the root, as Flux lays it out and writes it in
 * status.artifact.path: "<kind>/<namespace>/<name>/<file>", kind lower-cased, e.g.
 * "gitrepository/flux-system/app/<hash>.tar.gz". Caller frees. */
char *storage_artifact_path(const struct storage_object *obj, const char *file);

/* root + "/" + rel. Caller frees. */
char *storage_local_path(const struct storage *s, const char *rel);

/* Whether rel (a storage_artifact_path) is a regular file in storage (Flux's
 * ArtifactExist). */
bool storage_exists(const struct storage *s, const char *rel);

/* Whether rel names a file directly in obj's artifact directory: "<kind>/<ns>/<name>/<file>"
 * with a file name that is not a dot-name and holds no '/'. A path read back from an
 * object's status is checked with this before anything is read or removed at it. */
bool storage_owns_path(const struct storage_object *obj, const char *rel);

/* Flux's VerifyArtifact: hashes the file at rel with the algorithm of digest
 * ("<algo>:<hex>": sha256, sha384, sha512 or sha1) and compares. 0 when they match;
 * ERR_INVALID "artifact has no digest", "failed to parse artifact digest '<d>': ...",
 * "computed digest doesn't match '<d>'" (Flux's words); ERR_NOTFOUND / ERR_IO when the file
 * cannot be read. size (when not negative, status.artifact.size) is compared first, so a
 * truncated file is told without reading it. */
int storage_verify(const struct storage *s, const char *rel, const char *digest, int64_t size);

/* Removes the artifact file at rel (a storage_artifact_path); to be called under the
 * object's exclusive lock. ERR_IO naming the path when it exists and cannot be removed. */
int storage_remove(const struct storage *s, const char *rel);

/* Creates obj's artifact directory. ERR_IO with the path and errno text. */
int storage_mkdir(struct storage *s, const struct storage_object *obj);

/* ---- Locks ----------------------------------------------------------------------------*/

struct storage_lock;

/* Takes obj's lock, waiting for it: exclusive for whoever writes or deletes its artifacts,
 * shared for readers that must not see a file collected under them (another object's
 * include). An flock on the object's .lock file, so it holds between threads and between
 * processes sharing the root. Returns 0 and *out, or ERR_IO. Never hold two objects'
 * exclusive locks at once. */
int storage_lock(struct storage *s, const struct storage_object *obj, bool shared,
		 struct storage_lock **out);

/* Releases and frees l (NULL is allowed). */
void storage_unlock(struct storage_lock *l);

/* ---- Writing --------------------------------------------------------------------------*/

/* A file written atomically: its bytes go to a hidden temporary file beside path and are
 * hashed as they are written; commit makes them appear at path whole, or not at all. */
struct storage_file;

/* Starts writing path (its directory must exist). Returns 0 and *out, or ERR_IO. */
int storage_file_create(struct storage_file **out, const char *path);

/* Appends len bytes. ERR_IO (with errno's text; ENOSPC reads "no space left on device"). */
int storage_file_write(struct storage_file *f, const void *data, size_t len);

/* Flushes the file to disk, renames it to its path, syncs the directory, fills *info and
 * frees f (in every case). On error the temporary file is removed and nothing changed at
 * path. */
int storage_file_commit(struct storage_file *f, struct artifact_info *info);

/* Drops the temporary file and frees f (NULL is allowed). */
void storage_file_abort(struct storage_file *f);

/* storage_file_create + write + commit of one buffer, for artifacts stored as fetched (an
 * index file, a layer copied verbatim). */
int storage_write_file(const char *path, const void *data, size_t len, struct artifact_info *info);

/* Points obj's link name ("latest.tar.gz") at file, a name in the same directory, replacing
 * the link atomically (a reader sees the old target or the new one). Flux's Storage.Symlink:
 * status.url names the link. The file server follows it, since it stays below the root; the
 * collector ignores links. ERR_INVALID for a name or file with a '/' or starting with '.',
 * ERR_IO otherwise. */
int storage_symlink(struct storage *s, const struct storage_object *obj, const char *file,
		    const char *name);

/* ---- Collecting -----------------------------------------------------------------------*/

/* Flux's garbage collection of obj's artifacts, to be run under obj's exclusive lock:
 * deletes every artifact but current (a file name, or NULL for none) older than the
 * retention TTL, then the oldest until at most retention_records remain (current counting
 * as one and always kept); temporary files a crash left are removed too. Symlinks and
 * dot-files other than temporary ones are left alone. *deleted (may be NULL) gets the
 * number of artifacts deleted. Returns 0, or ERR_IO when the directory cannot be read. */
int storage_gc(struct storage *s, const struct storage_object *obj, const char *current,
	       size_t *deleted);

/* Deletes obj's artifact directory with everything in it (the object is gone). */
void storage_remove_all(struct storage *s, const struct storage_object *obj);

/* A fresh scratch directory for this process ("<root>/.tmp/run-XXXXXX/<prefix>-XXXXXX"),
 * for checkouts and unpacking; the caller removes it (fs_rm_rf) and frees *out. ERR_IO. */
int storage_tmpdir(struct storage *s, const char *prefix, char **out);

/* ---- Serving --------------------------------------------------------------------------*/

/* Serves the artifacts on h at "/" + their path (runtime/http's file handler rooted at the
 * storage: regular files only, dot-names refused, nothing outside the root). */
int storage_serve(struct storage *s, struct rt_http *h);

#endif
