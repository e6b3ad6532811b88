/*
 * What the source module's libgit2 files (git.c, git_checkout.c, git_archive.c) share: the
 * bare cache opened and a commit resolved to its tree. Private to src/source (it names
 * libgit2's types); nothing outside the module includes it.
 */
#ifndef TIDE_SOURCE_GIT_TREE_H
#define TIDE_SOURCE_GIT_TREE_H

#include <git2.h>

/* Initializes libgit2 (once), opens the bare repository cache_dir into *repo and resolves
 * commit (hex) to its tree in *tree. Both are the caller's, to free with
 * git_repository_free and git_tree_free, also after an error (each is NULL if never set).
 * ERR_GENERIC when the cache does not open, ERR_NOTFOUND when the commit is not in it. */
int gitsrc_open_tree(git_repository **repo, git_tree **tree, const char *cache_dir,
		     const char *commit);

#endif
