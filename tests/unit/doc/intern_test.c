/* doc/intern: the shared-string table is in bsearch order, finds what it holds (and only
 * exact matches), and parsed trees use it while staying equal to their clones. */
#include <string.h>

#include "test.h"
#include "doc/doc.h"
#include "doc/intern.h"
#include "util/arena.h"

TEST(table_sorted)
{
	CHECK(doc_intern_sorted());
}

TEST(lookup)
{
	const char *m = doc_intern("metadata", 8);
	REQUIRE(m != NULL);
	CHECK_STR(m, "metadata");
	CHECK(doc_intern("metadata", 8) == m);
	CHECK(doc_intern("metadat", 7) == NULL);
	CHECK(doc_intern("metadatax", 9) == NULL);
	CHECK(doc_intern("", 0) == NULL);
	CHECK(doc_intern("v1\0x", 4) == NULL);
	CHECK_STR(doc_intern("apps/v1xyz", 7), "apps/v1");
}

TEST(parsed_trees_share_common_strings)
{
	struct arena *a = arena_new();
	const char *y = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: v1\n";
	struct doc_stream st;
	REQUIRE(doc_parse_yaml(a, "t", y, strlen(y), NULL, &st) == 0);
	REQUIRE(st.len == 1);
	const struct doc_node *d = st.docs[0];
	CHECK(d->u.map.items[0].key == doc_intern("apiVersion", 10));
	CHECK(d->u.map.items[0].value->u.str.ptr == doc_intern("v1", 2));
	struct doc_node *c = doc_clone(a, d);
	CHECK(doc_equal(c, d));
	CHECK(c->u.map.items[2].key == d->u.map.items[2].key);
	arena_free(a);
}

int main(void)
{
	RUN(table_sorted);
	RUN(lookup);
	RUN(parsed_trees_share_common_strings);
	return test_done();
}
