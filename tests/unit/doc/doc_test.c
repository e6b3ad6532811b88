/*
 * Unit tests for src/doc: scalar resolution and quoting, YAML and JSON readers (errors and
 * caps included), the writer's layout, paths, and byte-for-byte round trips of every
 * expected output in the kustomize conformance corpus (when ../shared is present).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "test.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

static struct arena *A;

static struct doc_node *yaml1(const char *text)
{
	struct doc_stream s;
	if (doc_parse_yaml(A, "t.yaml", text, strlen(text), NULL, &s) || s.len != 1)
		return NULL;
	return s.docs[0];
}

static const char *emit(const struct doc_node *n, unsigned flags)
{
	struct buf b = BUF_INIT;
	doc_emit_yaml(&b, n, flags);
	char *s = arena_strdup(A, b.ptr);
	buf_release(&b);
	return s;
}

static const char *roundtrip(const char *text)
{
	struct doc_node *n = yaml1(text);
	return n ? emit(n, 0) : "(parse error)";
}

TEST(resolves_scalars_like_yaml_v3)
{
	struct doc_node *n = yaml1("a: 1\nb: 1.5\nc: true\nd: ~\ne: yes\nf: \"1\"\ng: 0x1F\nh: 123456789012345678901234567890\ni: .inf\nj: 2001-12-14\n");
	REQUIRE(n);
	CHECK_INT(doc_get(n, "a")->kind, DOC_INT);
	CHECK_INT(doc_get(n, "b")->kind, DOC_FLOAT);
	CHECK_INT(doc_get(n, "c")->kind, DOC_BOOL);
	CHECK_INT(doc_get(n, "d")->kind, DOC_NULL);
	CHECK_INT(doc_get(n, "e")->kind, DOC_STR); /* yaml.v3 reads yes as a string */
	CHECK_INT(doc_get(n, "f")->kind, DOC_STR);
	CHECK_INT(doc_get(n, "g")->kind, DOC_INT);
	CHECK_INT(doc_get(n, "h")->kind, DOC_INT);
	CHECK_STR(doc_get(n, "h")->u.str.ptr, "123456789012345678901234567890");
	CHECK_INT(doc_get(n, "i")->kind, DOC_FLOAT);
	CHECK_INT(doc_get(n, "j")->kind, DOC_STR);
}

TEST(quotes_strings_that_read_as_other_types)
{
	struct doc_node *m = doc_new_map(A);
	const char *vals[] = { "1", "true", "yes", "on", "null", "", "~", "1.5", "2001-12-14", "0x10", "1:20",
			       "- x", "a: b", "a #b", " lead", "trail ", "#x", "*ref", "plain-text", "it's", "tab\there" };
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		doc_map_set(A, m, arena_sprintf(A, "k%02zu", i), doc_new_str(A, vals[i]));
	CHECK_STR(emit(m, 0),
		  "k00: \"1\"\nk01: \"true\"\nk02: \"yes\"\nk03: \"on\"\nk04: \"null\"\nk05: \"\"\nk06: \"~\"\n"
		  "k07: \"1.5\"\nk08: \"2001-12-14\"\nk09: \"0x10\"\nk10: \"1:20\"\nk11: '- x'\nk12: 'a: b'\n"
		  "k13: 'a #b'\nk14: ' lead'\nk15: 'trail '\nk16: '#x'\nk17: '*ref'\nk18: plain-text\n"
		  "k19: it's\nk20: \"tab\\there\"\n");
}

TEST(writes_block_layout)
{
	CHECK_STR(roundtrip("a:\n  b:\n  - x\n  - y: 1\n    z: 2\n  - - n\n    - m\n  c: {}\n  d: []\n"),
		  "a:\n  b:\n  - x\n  - y: 1\n    z: 2\n  - - n\n    - m\n  c: {}\n  d: []\n");
	CHECK_STR(roundtrip("s: |\n  one\n  two\nt: |-\n  x\nu: |+\n  k\n\nv: x\n"),
		  "s: |\n  one\n  two\nt: |-\n  x\nu: |+\n  k\n\nv: x\n");
	struct doc_node *m = doc_new_map(A);
	doc_map_set(A, m, "lead", doc_new_str(A, "  indented\nnext\n"));
	CHECK_STR(emit(m, 0), "lead: |2\n    indented\n  next\n");
}

TEST(folds_long_lines_at_80)
{
	struct doc_node *m = doc_new_map(A);
	doc_map_set(A, m, "k", doc_new_str(A, "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr"));
	CHECK_STR(emit(m, 0), "k: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp\n  qqqq rrrr\n");
}

TEST(sorts_keys_for_kubectl)
{
	struct doc_node *n = yaml1("b: 1\na: 2\n");
	CHECK_STR(emit(n, DOC_EMIT_SORT_KEYS), "a: 2\nb: 1\n");
	CHECK_STR(emit(n, 0), "b: 1\na: 2\n");
}

TEST(keeps_input_styles_unless_told)
{
	struct doc_node *n = yaml1("a: \"x\"\nb: 'w'\nc: [1, 2]\nd: ~\ne: y\n");
	CHECK_STR(emit(n, 0), "a: \"x\"\nb: 'w'\nc: [1, 2]\nd: ~\ne: y\n");
	/* Fresh choices: a YAML 1.1 boolean like "y" is quoted, as yaml.v3 writes it. */
	CHECK_STR(emit(n, DOC_EMIT_NO_STYLE), "a: x\nb: w\nc:\n- 1\n- 2\nd: null\ne: \"y\"\n");
}

TEST(reads_streams_and_skips_empty_documents)
{
	struct doc_stream s;
	const char *t = "---\n# only a comment\n---\na: 1\n---\n---\nb: 2\n...\n";
	REQUIRE(doc_parse_yaml(A, "s.yaml", t, strlen(t), NULL, &s) == 0);
	CHECK_INT(s.len, 2);
}

TEST(resolves_anchors_and_merge_keys)
{
	struct doc_node *n = yaml1("base: &b\n  x: 1\n  y: 2\nuse:\n  <<: *b\n  y: 3\nref: *b\n");
	REQUIRE(n);
	CHECK_STR(doc_get(n, "use.x")->u.str.ptr, "1");
	CHECK_STR(doc_get(n, "use.y")->u.str.ptr, "3");
	CHECK_STR(doc_get(n, "ref.y")->u.str.ptr, "2");
	CHECK(doc_get(n, "ref") != doc_get(n, "base")); /* copies, never shared */
}

/* Merging m keys into a mapping of n is linear (issue 16 row 7: it was O(n * m)). */
TEST(merges_large_mappings)
{
	struct buf t = BUF_INIT;
	enum { N = 100000 };
	buf_add(&t, "base: &b\n", 9);
	for (int i = 0; i < N; i++)
		buf_addf(&t, "  k%d: %d\n", i, i);
	buf_add(&t, "use:\n  <<: *b\n", 14);
	for (int i = N / 2; i < N + N / 2; i++)
		buf_addf(&t, "  k%d: own\n", i);
	struct doc_limits lim = { .max_alias_bytes = 1u << 30, .max_alias_expansion = 1u << 30 };
	struct doc_stream s;
	int rc = doc_parse_yaml(A, "m.yaml", t.ptr, t.len, &lim, &s);
	if (rc)
		fprintf(stderr, "# %s\n", err_msg());
	REQUIRE(rc == 0);
	struct doc_node *use = doc_get(s.docs[0], "use");
	REQUIRE(use);
	CHECK_INT(use->u.map.len, N + N / 2);
	CHECK_STR(doc_get(use, "k0")->u.str.ptr, "0");
	CHECK_STR(doc_get(use, "k60000")->u.str.ptr, "own");
	buf_release(&t);
}

TEST(rejects_bad_yaml_with_file_and_line)
{
	struct doc_stream s;
	const char *t = "a: 1\nb: [1, 2\nc: 3\n";
	CHECK_INT(doc_parse_yaml(A, "bad.yaml", t, strlen(t), NULL, &s), ERR_INVALID);
	CHECK(strstr(err_msg(), "'bad.yaml': line ") != NULL);
	const char *dup = "a: 1\nb: 2\na: 3\n";
	CHECK_INT(doc_parse_yaml(A, "dup.yaml", dup, strlen(dup), NULL, &s), ERR_INVALID);
	CHECK_STR(err_msg(), "'dup.yaml': line 3: mapping key \"a\" already defined at line 1");
	struct doc_limits lax = { .duplicate_keys_last_wins = true };
	REQUIRE(doc_parse_yaml(A, "dup.yaml", dup, strlen(dup), &lax, &s) == 0);
	CHECK_STR(emit(s.docs[0], 0), "a: 3\nb: 2\n");
}

TEST(caps_alias_bombs_depth_and_size)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (char c = 'b'; c <= 'j'; c++)
		buf_addf(&b, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c, c, c - 1, c - 1, c - 1,
			 c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
	struct doc_stream s;
	CHECK_INT(doc_parse_yaml(A, "bomb.yaml", b.ptr, b.len, NULL, &s), ERR_TOOBIG);
	CHECK(strstr(err_msg(), "alias") != NULL);
	buf_reset(&b);
	for (int i = 0; i < 300; i++)
		buf_addch(&b, '[');
	CHECK_INT(doc_parse_yaml(A, "deep.yaml", b.ptr, b.len, NULL, &s), ERR_TOOBIG);
	CHECK(strstr(err_msg(), "nesting deeper than 256") != NULL);
	struct doc_node *j;
	CHECK_INT(doc_parse_json(A, "deep.json", b.ptr, b.len, NULL, &j), ERR_TOOBIG);
	struct doc_limits lim = { .max_bytes = 4 };
	CHECK_INT(doc_parse_yaml(A, "big.yaml", "a: 12345", 8, &lim, &s), ERR_TOOBIG);
	buf_release(&b);
}

/* Issue 16 row 4: one large scalar aliased many times is few nodes but many bytes. */
TEST(caps_alias_bytes)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "big: &big \"");
	for (int i = 0; i < (1 << 20); i++)
		buf_addch(&b, 'x');
	buf_adds(&b, "\"\nuses:\n");
	for (int i = 0; i < 100; i++)
		buf_adds(&b, "- *big\n");
	struct doc_stream s;
	CHECK_INT(doc_parse_yaml(A, "aliases.yaml", b.ptr, b.len, NULL, &s), ERR_TOOBIG);
	CHECK(strstr(err_msg(), "excessive aliasing") != NULL);
	CHECK(strstr(err_msg(), "bytes") != NULL);
	/* A few copies stay within the budget. */
	struct doc_limits lim = { .max_alias_bytes = 8u << 20 };
	buf_reset(&b);
	buf_adds(&b, "big: &big \"");
	for (int i = 0; i < (1 << 20); i++)
		buf_addch(&b, 'x');
	buf_adds(&b, "\"\nuses: [*big, *big, *big]\n");
	CHECK_INT(doc_parse_yaml(A, "aliases.yaml", b.ptr, b.len, &lim, &s), 0);
	lim.max_alias_bytes = 2u << 20;
	CHECK_INT(doc_parse_yaml(A, "aliases.yaml", b.ptr, b.len, &lim, &s), ERR_TOOBIG);
	buf_release(&b);
}

TEST(json_is_exact)
{
	const char *t = "{\"big\":123456789012345678901234567890,\"f\":0.1,\"e\":1e400,\"s\":\"\\u00e9\\ud83d\\ude00\\n\",\"z\":null,\"b\":[true,false]}";
	struct doc_node *n;
	REQUIRE(doc_parse_json(A, "x.json", t, strlen(t), NULL, &n) == 0);
	struct buf b = BUF_INIT;
	doc_emit_json(&b, n, 0);
	CHECK_STR(b.ptr, "{\"big\":123456789012345678901234567890,\"f\":0.1,\"e\":1e400,\"s\":\"\xc3\xa9\xf0\x9f\x98\x80\\n\",\"z\":null,\"b\":[true,false]}");
	buf_reset(&b);
	doc_emit_yaml(&b, n, 0);
	CHECK_STR(b.ptr, "big: 123456789012345678901234567890\nf: 0.1\ne: 1e400\ns: |\n  \xc3\xa9\xf0\x9f\x98\x80\nz: null\nb:\n- true\n- false\n");
	struct doc_node *y = yaml1(b.ptr);
	CHECK(doc_equal(y, n));
	buf_release(&b);
	CHECK_INT(doc_parse_json(A, "bad.json", "{\"a\":1,}", 8, NULL, &n), ERR_INVALID);
	CHECK_INT(doc_parse_json(A, "bad.json", "\"\\ud800\"", 8, NULL, &n), ERR_INVALID);
	CHECK_INT(doc_parse_json(A, "bad.json", "[1] x", 5, NULL, &n), ERR_INVALID);
	CHECK_INT(doc_parse_json(A, "bad.json", "\"\xff\"", 3, NULL, &n), ERR_INVALID);
}

TEST(yaml_numbers_become_valid_json)
{
	struct doc_node *n = yaml1("a: 0x1F\nb: 0o17\nc: .5\nd: +3\ne: 1.\nf: .inf\n");
	struct buf b = BUF_INIT;
	doc_emit_json(&b, n, 0);
	CHECK_STR(b.ptr, "{\"a\":31,\"b\":15,\"c\":0.5,\"d\":3,\"e\":1.0,\"f\":\".inf\"}");
	buf_release(&b);
}

TEST(paths_get_set_delete)
{
	struct doc_node *n = yaml1("metadata:\n  annotations:\n    fluxcd.io/x: v\nspec:\n  containers:\n  - name: a\n  - name: b\n");
	CHECK_STR(doc_get_str(n, "metadata.annotations.fluxcd\\.io/x"), "v");
	CHECK_STR(doc_get_str(n, "spec.containers[1].name"), "b");
	CHECK(doc_get(n, "spec.containers[2]") == NULL);
	CHECK_INT(doc_set(A, n, "metadata.labels.app", doc_new_str(A, "web")), 0);
	CHECK_STR(doc_get_str(n, "metadata.labels.app"), "web");
	CHECK_INT(doc_set(A, n, "spec.containers[0].image", doc_new_str(A, "nginx")), 0);
	CHECK_STR(doc_get_str(n, "spec.containers[0].image"), "nginx");
	CHECK_INT(doc_set(A, n, "metadata.annotations.fluxcd\\.io/x.y", doc_new_str(A, "z")), ERR_INVALID);
	CHECK_INT(doc_delete(n, "spec.containers[0]"), 0);
	CHECK_STR(doc_get_str(n, "spec.containers[0].name"), "b");
	CHECK_INT(doc_delete(n, "metadata.nope"), ERR_NOTFOUND);
	struct doc_node *c = doc_clone(A, n);
	CHECK(doc_equal(c, n));
	doc_map_delete(c, "spec");
	CHECK(!doc_equal(c, n));
}

/* Every expected output of kustomize's own tests is kustomize-written YAML: reading and
 * writing it again must give the same bytes. */
TEST(kustomize_corpus_round_trips)
{
	const char *root = "../shared/conformance/kustomize/cases";
	DIR *d = opendir(root);
	if (!d) {
		printf("#   skipped: %s not found\n", root);
		return;
	}
	struct dirent *de;
	int files = 0, bad = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *path = arena_sprintf(A, "%s/%s/expected.yaml", root, de->d_name);
		struct buf in = BUF_INIT, out = BUF_INIT;
		if (fs_read_file(path, 0, &in) == 0) {
			struct doc_stream s;
			files++;
			if (doc_parse_yaml(A, path, in.ptr, in.len, NULL, &s)) {
				bad++;
				printf("#   %s: %s\n", path, err_msg());
			} else {
				doc_emit_yaml_stream(&out, s.docs, s.len, DOC_EMIT_NO_STYLE);
				if (strcmp(out.ptr, in.ptr)) {
					bad++;
					printf("#   %s: written differently\n", path);
				}
			}
		}
		buf_release(&in);
		buf_release(&out);
	}
	closedir(d);
	CHECK(files > 200);
	CHECK_INT(bad, 0);
}

/* kubectl -o yaml output (objects read from a real API server): read, then written with
 * sorted keys and every input style discarded, gives the same bytes. */
TEST(kubectl_output_round_trips)
{
	const char *dir = "tests/unit/doc/data";
	DIR *d = opendir(dir);
	REQUIRE(d);
	struct dirent *de;
	int files = 0;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "kubectl-", 8))
			continue;
		char *path = arena_sprintf(A, "%s/%s", dir, de->d_name);
		struct buf in = BUF_INIT, out = BUF_INIT;
		REQUIRE(fs_read_file(path, 0, &in) == 0);
		struct doc_stream s;
		files++;
		if (doc_parse_yaml(A, path, in.ptr, in.len, NULL, &s) == 0) {
			doc_emit_yaml_stream(&out, s.docs, s.len, DOC_EMIT_SORT_KEYS | DOC_EMIT_NO_STYLE);
			if (strcmp(out.ptr, in.ptr)) {
				printf("#   %s: written differently\n", path);
				CHECK(0);
			}
		} else {
			printf("#   %s: %s\n", path, err_msg());
			CHECK(0);
		}
		buf_release(&in);
		buf_release(&out);
	}
	closedir(d);
	CHECK(files >= 8);
}

int main(void)
{
	A = arena_new();
	RUN(resolves_scalars_like_yaml_v3);
	RUN(quotes_strings_that_read_as_other_types);
	RUN(writes_block_layout);
	RUN(folds_long_lines_at_80);
	RUN(sorts_keys_for_kubectl);
	RUN(keeps_input_styles_unless_told);
	RUN(reads_streams_and_skips_empty_documents);
	RUN(resolves_anchors_and_merge_keys);
	RUN(merges_large_mappings);
	RUN(rejects_bad_yaml_with_file_and_line);
	RUN(caps_alias_bombs_depth_and_size);
	RUN(caps_alias_bytes);
	RUN(json_is_exact);
	RUN(yaml_numbers_become_valid_json);
	RUN(paths_get_set_delete);
	RUN(kustomize_corpus_round_trips);
	RUN(kubectl_output_round_trips);
	arena_free(A);
	return test_done();
}
