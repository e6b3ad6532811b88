/*
 * The build step the kustomize unit tests share: kust_build_yaml on a directory written by
 * fixture_write, with the output or the error message handed back as one string. Include it
 * after test.h and fixture.h.
 */
#ifndef TIDE_TEST_KUSTOMIZE_BUILD_FIXTURE_H
#define TIDE_TEST_KUSTOMIZE_BUILD_FIXTURE_H

#include <stdbool.h>

#include "kustomize/kustomize.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"

/* Builds root/rel (load restrictor none when restrictor_none); returns the error code, and
 * in *out the YAML or the error message (static: valid until the next call). */
static inline int fixture_kust_build(const char *root, const char *rel, bool restrictor_none,
				     const char **out)
{
	static struct buf b;
	buf_release(&b);
	b = (struct buf)BUF_INIT;
	char *p = xasprintf("%s/%s", root, rel);
	struct kust_options o = KUST_OPTIONS_INIT;
	o.load_restrictor_none = restrictor_none;
	err_clear();
	int rc = kust_build_yaml(p, &o, &b);
	free(p);
	buf_addch(&b, '\0');
	*out = rc ? err_msg() : b.ptr;
	return rc;
}

#endif
