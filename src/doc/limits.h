/* Defaults for struct doc_limits, shared by the YAML and JSON readers. */
#ifndef TIDE_DOC_LIMITS_H
#define TIDE_DOC_LIMITS_H

#include "doc/doc.h"

/* Copies in (may be NULL) into out with every zero field replaced by its default. */
void doc_limits_fill(struct doc_limits *out, const struct doc_limits *in);

#endif
