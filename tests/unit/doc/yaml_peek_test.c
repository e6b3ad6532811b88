/*
 * doc_yaml_peek: it answers for the block YAML generators write, gives up on what it does
 * not read, and whenever it answers agrees with doc_parse_yaml (duplicate keys last-wins).
 */
#include "test.h"

#include "doc/doc.h"
#include "util/arena.h"

#define NF 4

/* 1: answered and agrees with the reader; 0: gave up; -1: answered and disagrees (or the
 * reader refuses the document). */
static int peek_vs_parse(const char *text, const char **out)
{
	struct arena *a = arena_new();
	struct doc_peek_field f[NF] = {
		{ { "kind" }, NULL },
		{ { "metadata", "name" }, NULL },
		{ { "metadata", "annotations", "helm.sh/hook" }, NULL },
		{ { "metadata", "annotations", "helm.sh/hook-weight" }, NULL },
	};
	int rc = 0;
	if (doc_yaml_peek(a, text, strlen(text), f, NF)) {
		rc = 1;
		struct doc_limits lim = { .duplicate_keys_last_wins = true };
		struct doc_stream s;
		if (doc_parse_yaml(a, "t.yaml", text, strlen(text), &lim, &s) || s.len != 1 ||
		    s.docs[0]->kind != DOC_MAP) {
			rc = -1;
		} else {
			for (size_t i = 0; i < NF; i++) {
				const struct doc_node *n = s.docs[0];
				for (size_t j = 0; j < 4 && f[i].path[j] && n; j++)
					n = n->kind == DOC_MAP ? doc_map_get(n, f[i].path[j]) : NULL;
				const char *want = n && n->kind == DOC_STR ? n->u.str.ptr : NULL;
				if ((!want) != (!f[i].value) || (want && strcmp(want, f[i].value)))
					rc = -1;
			}
		}
		static char got[NF][256];
		for (size_t i = 0; out && i < NF; i++) {
			snprintf(got[i], sizeof(got[i]), "%s", f[i].value ? f[i].value : "-");
			out[i] = got[i];
		}
	}
	arena_free(a);
	return rc;
}

TEST(answers_for_generated_manifests)
{
	const char *v[NF];
	CHECK_INT(peek_vs_parse("apiVersion: apps/v1\n"
				"kind: Deployment\n"
				"metadata:\n"
				"  name: web\n"
				"  labels:\n"
				"    app.kubernetes.io/name: web\n"
				"  annotations:\n"
				"    helm.sh/hook: pre-install,post-upgrade\n"
				"    \"helm.sh/hook-weight\": \"-5\"\n"
				"spec:\n"
				"  template:\n"
				"    spec:\n"
				"      containers:\n"
				"        - name: c\n"
				"          image: nginx:1.27 # pinned\n"
				"          args: [\"--a\", '--b', c d]\n"
				"          env:\n"
				"          - name: X\n"
				"            value: 'it''s'\n"
				"          resources:\n"
				"            {}\n"
				"          command:\n"
				"          - sh\n"
				"          - -c\n"
				"          - |\n"
				"            echo one\n"
				"\n"
				"              echo two: indented\n"
				"      nodeSelector: {}\n"
				"      tolerations: []\n"
				"      affinity: {k: v, l: [x, 'y']}\n",
				v),
		  1);
	CHECK_STR(v[0], "Deployment");
	CHECK_STR(v[1], "web");
	CHECK_STR(v[2], "pre-install,post-upgrade");
	CHECK_STR(v[3], "-5");
	/* CRD descriptions: multi-line plain and quoted scalars */
	CHECK_INT(peek_vs_parse("kind: CustomResourceDefinition\n"
				"metadata:\n"
				"  name: 'x.example.com'\n"
				"  annotations:\n"
				"spec:\n"
				"  description: Duration is the amount to back off. Default\n"
				"    unit is seconds, but could also be a duration (e.g.\n"
				"    \"2m\", \"1h\")\n"
				"  other: 'APIVersion defines\n"
				"    the schema'\n"
				"  folded: >-\n"
				"    a\n"
				"    b\n",
				v),
		  1);
	CHECK_STR(v[1], "x.example.com");
	CHECK_STR(v[2], "-");
}

TEST(the_last_of_repeated_keys_wins)
{
	const char *v[NF];
	CHECK_INT(peek_vs_parse("kind: A\nmetadata:\n  name: a\n  annotations:\n    helm.sh/hook: test\n"
				"kind: B\nmetadata:\n  name: b\n",
				v),
		  1);
	CHECK_STR(v[0], "B");
	CHECK_STR(v[1], "b");
	CHECK_STR(v[2], "-");
}

TEST(gives_up_on_what_it_does_not_read)
{
	static const char *const docs[] = {
		"kind: &a Deployment\n",	       /* anchor */
		"kind: !!str Deployment\n",	       /* tag */
		"kind: 5\n",			       /* a requested field that is not a string */
		"kind: yes\n",			       /* YAML 1.1 boolean */
		"kind: \"Dep\\u006coyment\"\n",	       /* escapes in a requested field */
		"metadata: [a]\n",		       /* a sequence on a requested path */
		"metadata:\n  name: a\n   b: c\n",    /* odd indentation */
		"kind: a\n\tb: c\n",		       /* a tab */
		"kind: caf\xc3\xa9\n",		       /* non-ASCII */
		"kind: a\r\n",			       /* CR */
		"kind: a: b\n",			       /* ": " inside a value */
		"- a\n",			       /* not a mapping */
		"  kind: a\n",			       /* an indented root */
		"<<: {a: b}\n",			       /* a merge key */
		"? a\n: b\n",			       /* a complex key */
		"a: [b,\n  c]\n",		       /* a flow collection over two lines */
		"a: {b: [c, ]}\n",		       /* an empty flow entry */
		"a: |2\n   x\n",		       /* an indentation indicator */
		"a: |\n     \n  x\n",		       /* leading blank lines deeper than the content */
		"a: b\n...\n",			       /* a document end marker */
		"a:\n- b\n- - c\n",		       /* a sequence in a sequence */
		"# only a comment\n",		       /* no document */
	};
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		int rc = peek_vs_parse(docs[i], NULL);
		if (rc != 0)
			printf("#   answered (%d) for: %s", rc, docs[i]);
		CHECK(rc == 0);
	}
}

TEST(never_answers_for_invalid_yaml)
{
	static const char *const docs[] = {
		"a: b\n c: d\n",	     "a:\n  b: c\n d: e\n", "a: 'b\n",	    "a: \"b\\q\"\n",
		"a: b\n- c\n",		     "a: [b\n",		    "a: 'b' c\n",   "a: |x\n",
		"a:\n  - b\n  c: d\n",	     "a: b #c\n d\n",	    "a: \"b\n\"\n", "a: {b: c}}\n",
	};
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		int rc = peek_vs_parse(docs[i], NULL);
		if (rc != 0)
			printf("#   answered (%d) for: %s", rc, docs[i]);
		CHECK(rc == 0);
	}
}

int main(void)
{
	RUN(answers_for_generated_manifests);
	RUN(the_last_of_repeated_keys_wins);
	RUN(gives_up_on_what_it_does_not_read);
	RUN(never_answers_for_invalid_yaml);
	return test_done();
}
