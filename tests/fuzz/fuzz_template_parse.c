/*
 * libFuzzer target: the text/template parser (template/parse.h), which reads every chart
 * template a tenant ships. The first byte picks the options (bit 0 keeps comments, bit 1
 * uses "[[" "]]" as delimiters, bit 2 skips the function check), the rest is the template.
 * Nothing may crash, overflow the stack or run without bound; a failure is ERR_INVALID or
 * ERR_TOOBIG with a "template: f:LINE: " message; on success the first tree is the named
 * one, every node lies inside the text, and each tree prints (tnode_string) and reports
 * positions without trouble.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "template/parse.h"
#pragma GCC diagnostic pop
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const funcs[] = { "and", "or", "not", "len", "index", "printf", "print",
				     "include", "default", "eq", "quote", NULL };

static bool has_func(void *ud, const char *name)
{
	(void)ud;
	for (int i = 0; funcs[i]; i++)
		if (strcmp(funcs[i], name) == 0)
			return true;
	return false;
}

static int positions_left; /* ttree_position is linear: for a few nodes only */

static void check_node(const struct ttree *t, const struct tnode *n, int depth)
{
	if (!n)
		return;
	if (n->pos > t->text_len || depth > 30000)
		abort();
	if (positions_left > 0) {
		positions_left--;
		int line, col;
		ttree_position(t, n->pos, &line, &col);
		if (line < 1 || col < 0)
			abort();
	}
	switch (n->type) {
	case TN_LIST:
		for (size_t i = 0; i < n->u.list.len; i++)
			check_node(t, n->u.list.items[i], depth + 1);
		break;
	case TN_ACTION:
		check_node(t, n->u.action.pipe, depth + 1);
		break;
	case TN_PIPE:
		if (n->u.pipe.cmds.len == 0)
			abort();
		for (size_t i = 0; i < tpipe_ndecl(n); i++)
			check_node(t, tpipe_decl(n, i), depth + 1);
		for (size_t i = 0; i < n->u.pipe.cmds.len; i++)
			check_node(t, n->u.pipe.cmds.items[i], depth + 1);
		break;
	case TN_COMMAND:
		if (n->u.cmd.args.len == 0)
			abort();
		for (size_t i = 0; i < n->u.cmd.args.len; i++)
			check_node(t, n->u.cmd.args.items[i], depth + 1);
		break;
	case TN_IF: case TN_RANGE: case TN_WITH:
		if (!n->u.branch.pipe || !n->u.branch.list)
			abort();
		check_node(t, n->u.branch.pipe, depth + 1);
		check_node(t, n->u.branch.list, depth + 1);
		check_node(t, n->u.branch.else_list, depth + 1);
		break;
	case TN_CHAIN:
		check_node(t, n->u.chain.node, depth + 1);
		break;
	case TN_TEMPLATE:
		check_node(t, n->u.tmpl.pipe, depth + 1);
		break;
	case TN_TEXT:
		if (n->u.text.text < t->text || n->u.text.text + n->u.text.len > t->text + t->text_len)
			abort();
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	struct tparse_opts o = { 0 };
	o.keep_comments = data[0] & 1;
	if (data[0] & 2) {
		o.left_delim = "[[";
		o.right_delim = "]]";
	}
	if (!(data[0] & 4))
		o.has_func = has_func;
	positions_left = 64;
	struct arena *a = arena_new();
	struct ttree **t;
	size_t nt;
	int rc = tparse(a, "f", (const char *)data + 1, size - 1, &o, &t, &nt);
	if (rc) {
		if ((rc != ERR_INVALID && rc != ERR_TOOBIG) || strncmp(err_msg(), "template: f:", 12))
			abort();
	} else {
		if (nt < 1 || strcmp(t[0]->name, "f") != 0)
			abort();
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < nt; i++) {
			if (!t[i]->root || t[i]->root->type != TN_LIST)
				abort();
			check_node(t[i], t[i]->root, 0);
			tnode_string(&b, t[i]->root);
			(void)tnode_is_empty_tree(t[i]->root);
			buf_reset(&b);
		}
		buf_release(&b);
	}
	arena_free(a);
	return 0;
}
