/*
 * A small XML reader for the documents storage services answer with (S3's
 * ListBucketResult and Error; Azure's EnumerationResults later): elements, attributes
 * (checked, then skipped), character data with the five predefined entities and character
 * references, CDATA sections, comments and processing instructions. A DOCTYPE is refused,
 * so no entity is ever defined or expanded (no billion laughs, no external entities).
 * Namespaces are not resolved: an element's name is its local part ("s3:Key" is "Key").
 *
 * It reads one whole document in memory (the caller caps its size) and calls the handler
 * at each element's start and end; at the end it hands over the element's own character
 * data, decoded, when the element had no child elements (S3's leaves: Key, ETag, Size).
 * Caps on depth, name length and the text of one element bound the work and the memory
 * (the text of one element at a time), whatever the input.
 *
 * Why our own and not libexpat or libxml2: the subset S3 uses is small, the reader is a
 * few hundred lines that the fuzz target (tests/fuzz/fuzz_s3_list.c) covers whole, and it
 * adds no library to the binary's load (LAZY_LIBS) nor a DTD machinery to disable.
 */
#ifndef TIDE_SOURCE_XML_H
#define TIDE_SOURCE_XML_H

#include <stddef.h>

struct xml_limits {
	size_t max_depth; /* nesting of elements; 0 = 32 */
	size_t max_name;  /* bytes of a name; 0 = 256 */
	size_t max_text;  /* decoded bytes of one element's text; 0 = 64 KiB */
};

#define XML_LIMITS_INIT { 0, 0, 0 }

/* The callbacks. depth is 1 for the root element. A non-zero return stops the reader,
 * which returns it. name (and text) are borrowed for the call; name is not NUL-terminated,
 * text is (and has no NUL inside: a character reference to U+0000 is refused). text is
 * NULL for an element that had child elements. Either callback may be NULL. */
struct xml_handler {
	int (*start)(void *ud, size_t depth, const char *name, size_t len);
	int (*end)(void *ud, size_t depth, const char *name, size_t len, const char *text,
		   size_t text_len);
};

/* Reads the document data[0..len). 0 when it is well formed (as far as this reader
 * checks: matching tags, one root, names, attribute syntax, references) and every callback
 * returned 0; ERR_INVALID for malformed input or a DOCTYPE, with the byte offset in the
 * message; ERR_TOOBIG past a cap; else what a callback returned. */
int xml_read(const char *data, size_t len, const struct xml_limits *lim,
	     const struct xml_handler *h, void *ud);

#endif
