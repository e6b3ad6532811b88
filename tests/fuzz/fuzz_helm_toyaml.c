/*
 * libFuzzer target: Helm's converters (src/helm/toyaml.c, src/helm/funcs.c) on tenant
 * text. The first byte picks the path: the rest read as a values file (YAML 1.1, as Helm
 * reads values.yaml) and written with toYaml, toYamlPretty, toJson or toToml; or handed
 * as a string to fromYaml, fromYamlArray, fromJson, fromJsonArray or fromToml, whose
 * result is written back with toYaml. Nothing may crash or leak, and what toYaml writes
 * must parse again as YAML.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "fuzz.h"
#include "helm/render_int.h"
#include "template/template_int.h" /* the standalone context, as unit tests use it */
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int helm_to_yaml_pretty(struct texec *x, struct buf *out, const struct tv *v);

static const struct tfunc *func(const char *name)
{
	for (size_t i = 0; i < helm_funcs_table.len; i++)
		if (!strcmp(helm_funcs_table.funcs[i].name, name))
			return &helm_funcs_table.funcs[i];
	abort();
}

/* toYaml's output reads back as YAML. */
static void check_yaml(struct texec *x, const struct tv *v, bool pretty)
{
	struct buf b;
	buf_init(&b, 4 << 20);
	int rc = pretty ? helm_to_yaml_pretty(x, &b, v) : helm_to_yaml(x, &b, v);
	if (rc == 0) {
		struct arena *a = arena_new();
		struct doc_stream st = { 0 };
		if (doc_parse_yaml(a, "out", b.ptr, b.len, NULL, &st) == ERR_INVALID)
			abort();
		arena_free(a);
	}
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned mode = data[0] % 9;
	char *s = fuzz_string(data + 1, size - 1, 16384);
	if (!s)
		return 0;
	struct arena *a = arena_new();
	struct texec x;
	struct helm_render_state st = { .arena = a };
	texec_init_standalone(&x, a, &st);
	struct tv *v = NULL, *out = NULL;
	struct tv *arg = tv_strn(a, s, size - 1);
	static const char *const readers[] = { "fromYaml", "fromYamlArray", "fromJson",
					       "fromJsonArray", "fromToml" };
	if (mode < 4) {
		struct doc_stream ds = { 0 };
		if (doc_parse_yaml(a, "values.yaml", s, size - 1, NULL, &ds) == 0 && ds.len &&
		    tv_from_doc(a, ds.docs[0], TV_FROM_DOC_YAML11, &v) == 0) {
			if (mode < 2) {
				check_yaml(&x, v, mode == 1);
			} else {
				const struct tfunc *f = func(mode == 2 ? "toJson" : "toToml");
				struct tv *args[1] = { v };
				f->impl(&x, args, 1, &out);
			}
		}
	} else {
		const struct tfunc *f = func(readers[mode - 4]);
		struct tv *args[1] = { arg };
		if (f->impl(&x, args, 1, &out) == 0 && out)
			check_yaml(&x, out, false);
	}
	texec_release(&x);
	arena_free(a);
	free(s);
	err_clear();
	return 0;
}
