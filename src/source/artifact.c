/* Deterministic source tarballs and Flux's artifact naming; see artifact.h. */
#include "source/artifact.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct walk {
	struct archive *a;
	const ignore_rules *ign;
	const struct artifact_limits *lim;
	uint64_t bytes;
	size_t files;
};

static int cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static int add_file(struct walk *w, int dfd, const char *name, const char *rel, const struct stat *st)
{
	if (w->lim->max_files && ++w->files > w->lim->max_files)
		return err_set(ERR_TOOBIG, "artifact has more than %zu files", w->lim->max_files);
	w->bytes += (uint64_t)st->st_size;
	if (w->lim->max_bytes && w->bytes > w->lim->max_bytes)
		return err_set(ERR_TOOBIG, "artifact exceeds the size limit of %llu bytes",
			       (unsigned long long)w->lim->max_bytes);
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_set(ERR_GENERIC, "open '%s': %s", rel, strerror(errno));
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, rel);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, (st->st_mode & 0111) ? 0744 : 0644);
	archive_entry_set_size(e, st->st_size);
	int rc = 0;
	if (archive_write_header(w->a, e) != ARCHIVE_OK) {
		rc = err_set(ERR_GENERIC, "tar header '%s': %s", rel, archive_error_string(w->a));
	} else {
		char chunk[65536];
		off_t left = st->st_size;
		while (left > 0 && rc == 0) {
			ssize_t n = read(fd, chunk, sizeof(chunk) < (size_t)left ? sizeof(chunk) : (size_t)left);
			if (n <= 0)
				rc = err_set(ERR_GENERIC, "read '%s': %s", rel, n < 0 ? strerror(errno) : "file shrank");
			else if (archive_write_data(w->a, chunk, (size_t)n) != n)
				rc = err_set(ERR_GENERIC, "tar '%s': %s", rel, archive_error_string(w->a));
			else
				left -= n;
		}
	}
	archive_entry_free(e);
	close(fd);
	return rc;
}

static int walk_dir(struct walk *w, int dfd, const char *prefix)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return err_set(ERR_GENERIC, "opendir '%s': %s", *prefix ? prefix : ".", strerror(errno));
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		names = xgrow(names, &cap, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *rel = *prefix ? xasprintf("%s/%s", prefix, names[i]) : xstrdup(names[i]);
		struct stat st;
		if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
			rc = err_set(ERR_GENERIC, "stat '%s': %s", rel, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			if (!w->ign || !ignore_match(w->ign, rel, 1)) {
				struct archive_entry *e = archive_entry_new();
				archive_entry_set_pathname(e, rel);
				archive_entry_set_filetype(e, AE_IFDIR);
				archive_entry_set_perm(e, 0755);
				if (archive_write_header(w->a, e) != ARCHIVE_OK)
					rc = err_set(ERR_GENERIC, "tar header '%s': %s", rel, archive_error_string(w->a));
				archive_entry_free(e);
				int sub = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (rc == 0 && sub < 0)
					rc = err_set(ERR_GENERIC, "open '%s': %s", rel, strerror(errno));
				else if (rc == 0)
					rc = walk_dir(w, sub, rel);
				else if (sub >= 0)
					close(sub);
			}
		} else if (S_ISREG(st.st_mode)) {
			if (!w->ign || !ignore_match(w->ign, rel, 0))
				rc = add_file(w, dirfd(d), names[i], rel, &st);
		}
		/* symlinks, devices, sockets, fifos: skipped, as Flux does */
		free(rel);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

static int digest_file(const char *path, struct artifact_info *info)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(ERR_GENERIC, "open '%s': %s", path, strerror(errno));
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	unsigned char chunk[65536], md[32];
	size_t n;
	info->size = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		EVP_DigestUpdate(ctx, chunk, n);
		info->size += n;
	}
	int bad = ferror(f);
	fclose(f);
	EVP_DigestFinal_ex(ctx, md, NULL);
	EVP_MD_CTX_free(ctx);
	if (bad)
		return err_set(ERR_GENERIC, "read '%s' failed", path);
	memcpy(info->digest, "sha256:", 7);
	for (int i = 0; i < 32; i++)
		snprintf(info->digest + 7 + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int artifact_archive(const char *dir, const ignore_rules *ign, const struct artifact_limits *lim,
		     const char *out_path, struct artifact_info *info)
{
	static const struct artifact_limits none = {0, 0};
	char *tmp = xasprintf("%s.tmp", out_path);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		int rc = err_set(ERR_GENERIC, "open '%s': %s", dir, strerror(errno));
		free(tmp);
		return rc;
	}
	struct walk w = {.a = archive_write_new(), .ign = ign, .lim = lim ? lim : &none};
	int rc = 0;
	/* pax-restricted keeps plain ustar headers for ordinary names; gzip without a timestamp
	 * or file name keeps the bytes reproducible */
	if (archive_write_set_format_pax_restricted(w.a) != ARCHIVE_OK ||
	    archive_write_add_filter_gzip(w.a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(w.a, "gzip", "timestamp", NULL) != ARCHIVE_OK ||
	    archive_write_open_filename(w.a, tmp) != ARCHIVE_OK) {
		rc = err_set(ERR_GENERIC, "create '%s': %s", tmp, archive_error_string(w.a));
		close(dfd);
	} else {
		rc = walk_dir(&w, dfd, "");
		if (archive_write_close(w.a) != ARCHIVE_OK && rc == 0)
			rc = err_set(ERR_GENERIC, "write '%s': %s", tmp, archive_error_string(w.a));
	}
	archive_write_free(w.a);
	if (rc == 0)
		rc = digest_file(tmp, info);
	if (rc == 0 && rename(tmp, out_path) != 0)
		rc = err_set(ERR_GENERIC, "rename to '%s': %s", out_path, strerror(errno));
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

char *artifact_revision(const char *ref, const char *sha1_hex)
{
	if (!ref || !*ref)
		return xasprintf("sha1:%s", sha1_hex);
	return xasprintf("%s@sha1:%s", ref, sha1_hex);
}

char *artifact_storage_path(const char *kind, const char *ns, const char *name, const char *file)
{
	char *k = xstrdup(kind);
	for (char *p = k; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	char *r = xasprintf("%s/%s/%s/%s", k, ns, name, file);
	free(k);
	return r;
}
