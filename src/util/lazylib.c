/*
 * The slow path of the lazy-loading stubs (see lazylib.h and scripts/gen-lazy-stubs). It runs
 * at most once per library, on the first call of one of its functions, with the caller's
 * argument registers saved by the stub.
 */
#include "util/lazylib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/banned.h"

static pthread_mutex_t lazylib_lock = PTHREAD_MUTEX_INITIALIZER;

static void lazylib_die(const struct lazylib *lib, const char *why)
{
	fprintf(stderr, "tide: cannot load %s: %s\n", lib->soname, why ? why : "unknown error");
	fflush(NULL);
	_exit(127);
}

void lazylib_load(struct lazylib *lib)
{
	pthread_mutex_lock(&lazylib_lock);
	if (lib->handle) {
		/* Another thread loaded it while this one waited on the lock. */
		pthread_mutex_unlock(&lazylib_lock);
		return;
	}
	void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		lazylib_die(lib, dlerror());
	for (size_t i = 0; i < lib->count; i++) {
		dlerror();
		void *p = dlsym(h, lib->names[i]);
		if (!p) {
			char why[512];
			const char *e = dlerror();
			snprintf(why, sizeof why, "%s", e ? e : lib->names[i]);
			lazylib_die(lib, why);
		}
		/* Stubs read the table without the lock: one aligned word, either the slow
		 * path or the function, both correct to jump to. */
		__atomic_store_n(&lib->table[i], p, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&lib->handle, h, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&lazylib_lock);
}
