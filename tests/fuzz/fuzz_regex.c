/*
 * libFuzzer target: Go regular expressions (util/regex), which tenants reach through patch
 * target selectors today and templates and image policies later. The input's first line is
 * the pattern, the rest the subject. Nothing may crash, leak or run without bound; a pattern
 * either compiles or fails with ERR_INVALID/ERR_TOOBIG/ERR_UNSUPPORTED and a Go-style
 * message; on a match the spans lie inside the subject, in order, and agree with
 * regex_match; a whole-string match is also a match.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/regex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t plen = nl ? (size_t)(nl - s) : size;
	const char *subj = nl ? nl + 1 : "";
	size_t slen = nl ? size - plen - 1 : 0;
	struct regex *re, *whole;
	int rc = regex_compile_n(&re, s, plen, 0);
	int rc2 = regex_compile_n(&whole, s, plen, REGEX_WHOLE);
	if (rc) {
		if (rc != ERR_INVALID && rc != ERR_TOOBIG && rc != ERR_UNSUPPORTED)
			abort();
		if (rc == ERR_INVALID && strncmp(err_msg(), "error parsing regexp: ", 22))
			abort();
		if (rc2 == 0)
			regex_free(whole);
		if (rc2 == ERR_INVALID && rc != ERR_INVALID)
			abort();
		return 0;
	}
	struct regex_span sub[8];
	bool found, matched, wm;
	size_t n = regex_groups(re) + 1;
	if (n > 8)
		n = 8;
	int frc = regex_find(re, subj, slen, 0, sub, n, &found);
	int mrc = regex_match(re, subj, slen, &matched);
	if (!frc && !mrc && found != matched)
		abort();
	if (!frc && found) {
		if (sub[0].start < 0 || sub[0].start > sub[0].end || (size_t)sub[0].end > slen)
			abort();
		for (size_t i = 1; i < n; i++)
			if (sub[i].start != -1 && (sub[i].start > sub[i].end || (size_t)sub[i].end > slen))
				abort();
	}
	if (frc && frc != ERR_TIMEOUT && frc != ERR_TOOBIG)
		abort();
	if (rc2 == 0) {
		int wrc = regex_match(whole, subj, slen, &wm);
		if (!wrc && !mrc && wm && !matched)
			abort();
		regex_free(whole);
	}
	for (size_t i = 0; i <= regex_groups(re); i++)
		(void)regex_group_name(re, i);
	regex_free(re);
	return 0;
}
