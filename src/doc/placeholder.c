/* The document model (in progress). */
#include "doc/doc.h"
int doc_placeholder_(void);
int doc_placeholder_(void) { return 0; }
