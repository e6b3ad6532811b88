/*
 * libFuzzer target: Go templates are tenant input. The text is parsed as one file of a set
 * (with Helm-like include and tpl functions so nested execution is reached) and executed
 * against a small data value under tight caps. Nothing may crash, leak or run past the
 * caps; errors are fine. The output must never pass the output cap.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "template/template.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_OUTPUT = 1 << 16 };

static int f_include(struct texec *x, struct tv *const *a, size_t n, struct tv **out)
{
	(void)n;
	struct buf b = BUF_INIT;
	int rc = texec_include(x, a[0]->u.s.ptr, a[1], &b);
	if (rc == 0)
		*out = tv_strn(texec_arena(x), b.ptr, b.len);
	buf_release(&b);
	return rc;
}

static int f_tpl(struct texec *x, struct tv *const *a, size_t n, struct tv **out)
{
	(void)n;
	struct buf b = BUF_INIT;
	int rc = texec_tpl(x, "tpl", a[0]->u.s.ptr, a[0]->u.s.len, a[1], &b);
	if (rc == 0)
		*out = tv_strn(texec_arena(x), b.ptr, b.len);
	buf_release(&b);
	return rc;
}

static int f_list(struct texec *x, struct tv *const *a, size_t n, struct tv **out)
{
	struct tv *l = tv_list(texec_arena(x), n);
	for (size_t i = 0; i < n; i++)
		tv_list_push(texec_arena(x), l, a[i]);
	*out = l;
	return 0;
}

static const struct tfunc funcs[] = {
	{ "include", f_include, "sa", "se" },
	{ "tpl", f_tpl, "sa", "se" },
	{ "list", f_list, "a*", "l" },
};
static const struct tfunc_table table = { funcs, sizeof(funcs) / sizeof(*funcs) };

static struct tv *make_data(struct arena *a)
{
	struct tv *d = tv_map_new(a);
	struct tv *l = tv_list(a, 3);
	tv_list_push(a, l, tv_int(a, 1));
	tv_list_push(a, l, tv_str(a, "two"));
	tv_list_push(a, l, &tv_nil_value);
	tv_map_set(a, d, "l", l);
	struct tv *m = tv_map_new(a);
	tv_map_set(a, m, "a", tv_float(a, 1.5));
	tv_map_set(a, m, "b", tv_bool(true));
	tv_map_set(a, d, "m", m);
	tv_map_set(a, d, "s", tv_str(a, "str"));
	tv_map_set(a, d, "n", &tv_nil_value);
	tv_map_set(a, d, "i", tv_int_typed(a, 3, "int64"));
	tv_map_set(a, d, "b", tv_bytes(a, "xy", 2));
	return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	struct arena *a = arena_new();
	struct tlimits lim = {
		.max_output = MAX_OUTPUT,
		.max_depth = 40,
		.max_memory = 32 << 20,
		.max_time_ms = 500,
		.max_range = 2000,
	};
	struct tset *s = tset_new(a, "fuzz", &lim);
	tset_add_funcs(s, &table);
	/* The first byte picks the missingkey mode, as Helm (zero) and plain Go use them. */
	if (size > 0)
		tset_set_missing(s, (enum tmissing)(data[0] % 3));
	const char *text = size > 0 ? (const char *)data + 1 : "";
	size_t len = size > 0 ? size - 1 : 0;
	err_clear();
	if (tset_parse(s, "t", text, len) == 0) {
		struct buf out = BUF_INIT;
		(void)tset_execute(s, "t", make_data(a), &out);
		if (out.len > MAX_OUTPUT)
			abort();
		buf_release(&out);
	}
	tset_free(s);
	arena_free(a);
	return 0;
}
