/* Artifact download, digest check and confined unpacking; see fetch.h. */
#include "source/fetch.h"

#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define MIB ((size_t)1 << 20)

static size_t lim_or(size_t v, size_t def) { return v ? v : def; }

/* Rejects what could leave the root: absolute names and ".." components. "./a" is fine. */
static int check_name(const char *name)
{
	if (!name || !*name)
		return err_set(ERR_INVALID, "tar entry with an empty name");
	if (name[0] == '/')
		return err_set(ERR_ESCAPE, "tar entry '%s': absolute path", name);
	for (const char *p = name; *p;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return err_set(ERR_ESCAPE, "tar entry '%s': path leaves the root", name);
		p += n;
		while (*p == '/')
			p++;
	}
	return 0;
}

/* mkdir -p of the parents of rel (relative to dirfd-less dest path). */
static int make_parents(const char *dest, const char *rel, bool include_last)
{
	char path[4096];
	int n = snprintf(path, sizeof path, "%s/%s", dest, rel);
	if (n < 0 || (size_t)n >= sizeof path)
		return err_set(ERR_TOOBIG, "tar entry '%s': path too long", rel);
	size_t start = strlen(dest) + 1;
	for (size_t i = start; path[i]; i++) {
		if (path[i] != '/')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return err_set(ERR_IO, "mkdir '%s': %s", path + start, strerror(errno));
		path[i] = '/';
	}
	if (include_last && mkdir(path, 0755) && errno != EEXIST)
		return err_set(ERR_IO, "mkdir '%s': %s", rel, strerror(errno));
	return 0;
}

int fetch_untar(const void *data, size_t len, const char *dest, const struct fetch_limits *lim)
{
	size_t max_bytes = lim_or(lim ? lim->max_untar : 0, 100 * MIB);
	size_t max_files = lim_or(lim ? lim->max_files : 0, 100000);
	struct archive *ar = archive_read_new();
	/* gzip only: other filters may run external programs (lrzip, lzop, grzip). */
	archive_read_support_filter_gzip(ar);
	archive_read_support_format_tar(ar);
	int rc = 0;
	if (archive_read_open_memory(ar, data, len) != ARCHIVE_OK) {
		rc = err_set(ERR_INVALID, "failed to read the artifact archive: %s",
			     archive_error_string(ar));
		goto out;
	}
	size_t total = 0, files = 0;
	struct archive_entry *e;
	char blk[65536];
	for (;;) {
		int r = archive_read_next_header(ar, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			rc = err_set(ERR_INVALID, "failed to read the artifact archive: %s",
				     archive_error_string(ar));
			goto out;
		}
		if (++files > max_files) {
			rc = err_set(ERR_TOOBIG, "tar has more than %zu entries", max_files);
			goto out;
		}
		const char *name = archive_entry_pathname(e);
		if ((rc = check_name(name)))
			goto out;
		mode_t type = archive_entry_filetype(e);
		if (type == AE_IFDIR) {
			if ((rc = make_parents(dest, name, true)))
				goto out;
			continue;
		}
		/* Symlinks, hard links, devices: skipped, as Flux's artifacts never hold them. */
		if (type != AE_IFREG || archive_entry_hardlink(e))
			continue;
		if ((rc = make_parents(dest, name, false)))
			goto out;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dest, name);
		mode_t mode = (archive_entry_perm(e) & 0111) ? 0755 : 0644;
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd < 0) {
			rc = err_set(ERR_IO, "create '%s': %s", name, strerror(errno));
			goto out;
		}
		for (;;) {
			la_ssize_t n = archive_read_data(ar, blk, sizeof blk);
			if (n == 0)
				break;
			if (n < 0) {
				rc = err_set(ERR_INVALID, "tar entry '%s': %s", name, archive_error_string(ar));
				break;
			}
			total += (size_t)n;
			if (total > max_bytes) {
				rc = err_set(ERR_TOOBIG, "tar is larger than %zu bytes (max untar size)",
					     max_bytes);
				break;
			}
			if (write(fd, blk, (size_t)n) != n) {
				rc = err_set(ERR_IO, "write '%s': %s", name, strerror(errno));
				break;
			}
		}
		close(fd);
		if (rc)
			goto out;
	}
out:
	archive_read_free(ar);
	return rc;
}

int fetch_verify_digest(const void *data, size_t len, const char *digest)
{
	if (!digest || !*digest)
		return 0;
	const char *colon = strchr(digest, ':');
	const EVP_MD *md = NULL;
	if (colon) {
		size_t an = (size_t)(colon - digest);
		if (an == 6 && !memcmp(digest, "sha256", 6)) md = EVP_sha256();
		else if (an == 6 && !memcmp(digest, "sha384", 6)) md = EVP_sha384();
		else if (an == 6 && !memcmp(digest, "sha512", 6)) md = EVP_sha512();
		else if (an == 4 && !memcmp(digest, "sha1", 4)) md = EVP_sha1();
	}
	if (!md)
		return err_set(ERR_INVALID, "failed to parse digest '%s': unsupported algorithm", digest);
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned hn = 0;
	if (!EVP_Digest(data, len, h, &hn, md, NULL))
		return err_set(ERR_GENERIC, "digest computation failed");
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	for (unsigned i = 0; i < hn; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	if (strcmp(hex, colon + 1) != 0)
		return err_set(ERR_INVALID, "failed to verify artifact: computed digest doesn't match '%s'",
			       digest);
	return 0;
}

struct sink {
	struct buf *b;
	size_t max;
	bool over;
};

static size_t on_data(char *p, size_t sz, size_t n, void *ud)
{
	struct sink *s = ud;
	if (s->b->len + sz * n > s->max) {
		s->over = true;
		return 0;
	}
	buf_add(s->b, p, sz * n);
	return sz * n;
}

int fetch_artifact(const char *url, const char *digest, const char *dest,
		   const struct fetch_limits *lim)
{
	if (!url || !*url)
		return err_set(ERR_INVALID, "artifact has no url");
	CURL *h = curl_easy_init();
	if (!h)
		return err_set(ERR_GENERIC, "curl_easy_init failed");
	struct buf b = BUF_INIT;
	struct sink s = { &b, lim_or(lim ? lim->max_download : 0, 100 * MIB), false };
	char ebuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, lim && lim->timeout_sec ? lim->timeout_sec : 60L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	CURLcode cr = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	int rc = 0;
	if (s.over)
		rc = err_set(ERR_TOOBIG, "artifact from %s is larger than %zu bytes", url, s.max);
	else if (cr != CURLE_OK)
		rc = err_set(ERR_UNAVAIL, "failed to download archive from %s: %s", url,
			     ebuf[0] ? ebuf : curl_easy_strerror(cr));
	else if (status != 200)
		rc = err_set(status == 404 ? ERR_NOTFOUND : ERR_UNAVAIL,
			     "failed to download archive from %s (status: %ld)", url, status);
	if (!rc)
		rc = fetch_verify_digest(b.ptr, b.len, digest);
	if (!rc)
		rc = fetch_untar(b.ptr, b.len, dest, lim);
	buf_release(&b);
	return rc;
}
