/*
 * Lazy loading of shared libraries for build/tide (x86-64, non-sanitizer builds): the
 * stubs that scripts/gen-lazy-stubs generates stand in for every function tide uses from
 * libcurl, libgit2, libarchive, libcrypto and libmicrohttpd; the first call of any of them
 * calls lazylib_load for its library, which fills the library's jump table. Verbs that never
 * touch a library (`tide kustomize build`, `tide version`) never map it. Nothing else calls
 * this module.
 */
#ifndef TIDE_UTIL_LAZYLIB_H
#define TIDE_UTIL_LAZYLIB_H

#include <stddef.h>

/* One library, laid out by the generated assembly: five pointer-sized words. */
struct lazylib {
	const char *soname;       /* "libcurl.so.4" */
	const char *const *names; /* count symbol names */
	void **table;             /* count entries: the stubs jump through them */
	size_t count;
	void *handle;             /* dlopen's, once loaded (written under a lock) */
};

/*
 * Opens lib->soname and stores the address of every name into lib->table, once per library
 * (thread-safe; later calls return at once). If the library or a symbol cannot be loaded,
 * prints "tide: cannot load <soname>: <reason>" to stderr and exits with status 127: the
 * stub's caller cannot be given an error code, as it expects the library's own function.
 */
void lazylib_load(struct lazylib *lib);

#endif
