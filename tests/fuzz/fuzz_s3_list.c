/*
 * libFuzzer target: an S3 server's response bodies (source/s3.h over source/xml.h). The
 * input is read as a ListObjectsV2 page, twice into one list with small caps (so the caps
 * on objects and key length are reached), and as an Error document. Nothing may crash or
 * leak, and the results are 0 or the documented errors.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source/s3.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int rc)
{
	if (rc && rc != ERR_INVALID && rc != ERR_TOOBIG)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	const char *xml = (const char *)data;
	struct s3_list l = S3_LIST_INIT;
	struct s3_page page;
	int rc = s3_parse_list_page(xml, size, NULL, &l, &page);
	check(rc);
	if (!rc) {
		for (size_t i = 0; i < l.n; i++)
			if (!l.obj[i].key[0] || !l.obj[i].etag || !l.obj[i].last_modified ||
			    l.obj[i].size < 0 || strlen(l.obj[i].key) > 1024)
				abort();
		if (page.truncated && (!page.next_token || !page.next_token[0]))
			abort();
		s3_page_release(&page);
	}
	s3_list_release(&l);

	struct s3_limits lim = { .max_objects = 3, .max_key_len = 8 };
	for (int i = 0; i < 2; i++) {
		rc = s3_parse_list_page(xml, size, &lim, &l, &page);
		check(rc);
		if (!rc)
			s3_page_release(&page);
		if (l.n > 3)
			abort();
	}
	s3_list_release(&l);

	struct s3_error e;
	rc = s3_parse_error(xml, size, &e);
	check(rc);
	if (strlen(e.code) >= sizeof e.code || strlen(e.message) >= sizeof e.message)
		abort();
	return 0;
}
