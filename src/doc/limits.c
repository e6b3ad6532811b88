/* Default input caps for the document readers (see doc.h, struct doc_limits). */
#include "doc/limits.h"

#include <string.h>
#include "util/banned.h"

void doc_limits_fill(struct doc_limits *out, const struct doc_limits *in)
{
	if (in)
		*out = *in;
	else
		memset(out, 0, sizeof(*out));
	if (!out->max_bytes)
		out->max_bytes = 64u << 20;
	if (!out->max_depth)
		out->max_depth = 256;
	if (!out->max_documents)
		out->max_documents = 100000;
	if (!out->max_nodes)
		out->max_nodes = 10000000;
	if (!out->max_alias_expansion)
		out->max_alias_expansion = 100000;
	if (!out->max_alias_bytes)
		out->max_alias_bytes = 64u << 20;
}
