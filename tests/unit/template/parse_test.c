/* The text/template parser (src/template/parse.h, lex.c, parse.c) against Go: each case of
 * the table is a template with what Go's parse.Parse gives for it, the trees printed by
 * Go's String() (" |"name": ..." for each define, sorted) or the error, and for the cases
 * that parse, a dump of every node with its type, position, idents and number fields, as
 * a small Go program printed them (go1.19's text/template/parse, with the five places where
 * Go 1.23 differs set by hand: else with, and the right-paren message of the newer lexer).
 * Then delimiters, comments, the function check, tree order and redefinition, positions,
 * the depth caps, and inputs built to be slow. */
#include "test.h"

#include <stdlib.h>

/* parse.h spells a comment opener inside a comment */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "template/parse.h"
#pragma GCC diagnostic pop
#include "template/lex.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

static const char *funcs[] = {
	"and", "or", "not", "len", "index", "slice", "print", "printf", "println", "html", "js",
	"urlquery", "call", "eq", "ne", "lt", "le", "gt", "ge", "upper", "quote", "include",
	"default", NULL,
};

static bool has_func(void *ud, const char *name)
{
	(void)ud;
	for (int i = 0; funcs[i]; i++)
		if (strcmp(funcs[i], name) == 0)
			return true;
	return false;
}

static const struct tparse_opts opts = { .has_func = has_func };

static const char *const type_names[] = {
	"TextNode", "ActionNode", "BoolNode", "ChainNode", "CommandNode", "DotNode", "FieldNode",
	"IdentifierNode", "IfNode", "ListNode", "NilNode", "NumberNode", "PipeNode", "RangeNode",
	"StringNode", "TemplateNode", "VariableNode", "WithNode", "CommentNode", "BreakNode",
	"ContinueNode",
};

static void dump_ident(struct buf *b, const struct tident *id)
{
	buf_addch(b, '[');
	for (size_t i = 0; i < id->len; i++)
		buf_addf(b, "%s\"%s\"", i ? " " : "", id->items[i]);
	buf_addch(b, ']');
}

static void dump_hex(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_addf(b, "%02x", (unsigned char)s[i]);
}

/* The same walk as the Go program's: Type@pos and what the node holds. */
static void dump(struct buf *b, const struct tnode *n)
{
	if (!n) {
		buf_adds(b, "nil");
		return;
	}
	buf_addf(b, "%s@%zu", type_names[n->type], (size_t)n->pos);
	switch (n->type) {
	case TN_LIST:
		buf_adds(b, "[");
		for (size_t i = 0; i < n->u.list.len; i++) {
			dump(b, n->u.list.items[i]);
			buf_adds(b, " ");
		}
		buf_adds(b, "]");
		break;
	case TN_ACTION:
		buf_adds(b, "(");
		dump(b, n->u.action.pipe);
		buf_adds(b, ")");
		break;
	case TN_PIPE:
		buf_addf(b, "(a=%s ", n->is_assign ? "true" : "false");
		for (size_t i = 0; i < tpipe_ndecl(n); i++) {
			dump(b, tpipe_decl(n, i));
			buf_adds(b, " ");
		}
		buf_adds(b, "|");
		for (size_t i = 0; i < n->u.pipe.cmds.len; i++) {
			dump(b, n->u.pipe.cmds.items[i]);
			buf_adds(b, " ");
		}
		buf_adds(b, ")");
		break;
	case TN_COMMAND:
		buf_adds(b, "(");
		for (size_t i = 0; i < n->u.cmd.args.len; i++) {
			dump(b, n->u.cmd.args.items[i]);
			buf_adds(b, " ");
		}
		buf_adds(b, ")");
		break;
	case TN_IF: case TN_RANGE: case TN_WITH:
		buf_adds(b, "(");
		dump(b, n->u.branch.pipe);
		buf_adds(b, " ");
		dump(b, n->u.branch.list);
		buf_adds(b, " ");
		dump(b, n->u.branch.else_list);
		buf_adds(b, ")");
		break;
	case TN_CHAIN:
		buf_adds(b, "(");
		dump(b, n->u.chain.node);
		buf_adds(b, " ");
		dump_ident(b, &n->u.chain.field);
		buf_adds(b, ")");
		break;
	case TN_TEMPLATE:
		buf_adds(b, "(");
		tquote(b, n->u.tmpl.name, strlen(n->u.tmpl.name));
		buf_adds(b, " ");
		dump(b, n->u.tmpl.pipe);
		buf_adds(b, ")");
		break;
	case TN_NUMBER:
		buf_addf(b, "(%d%d%d%d %lld %llu %.17g)", n->u.number->is_int, n->u.number->is_uint,
			 n->u.number->is_float, n->u.number->is_complex, (long long)n->u.number->i,
			 (unsigned long long)n->u.number->u, n->u.number->f);
		break;
	case TN_STRING:
		buf_adds(b, "(");
		dump_hex(b, n->u.str.text, n->u.str.len);
		buf_adds(b, ")");
		break;
	case TN_FIELD:
		dump_ident(b, &n->u.field);
		break;
	case TN_VARIABLE:
		dump_ident(b, &n->u.var);
		break;
	case TN_TEXT:
		buf_adds(b, "(");
		dump_hex(b, n->u.text.text, n->u.text.len);
		buf_adds(b, ")");
		break;
	}
}

static int by_name(const void *x, const void *y)
{
	return strcmp((*(struct ttree *const *)x)->name, (*(struct ttree *const *)y)->name);
}

/* What the Go program prints for s: the trees (String or dump) or "ERR <message>". */
static void show(struct buf *b, const char *s, size_t len, bool positions)
{
	struct arena *a = arena_new();
	struct ttree **t;
	size_t nt;
	if (tparse(a, "t", s, len, &opts, &t, &nt)) {
		buf_adds(b, "ERR ");
		buf_adds(b, err_msg());
	} else if (positions) {
		qsort(t + 1, nt - 1, sizeof(*t), by_name);
		for (size_t i = 0; i < nt; i++) {
			buf_addf(b, "%s:", t[i]->name);
			dump(b, t[i]->root);
			buf_adds(b, ";");
		}
	} else {
		if (strcmp(t[0]->name, "t") == 0)
			tnode_string(b, t[0]->root);
		qsort(t + 1, nt - 1, sizeof(*t), by_name);
		for (size_t i = 1; i < nt; i++) {
			buf_addf(b, " |\"%s\": ", t[i]->name);
			tnode_string(b, t[i]->root);
		}
	}
	arena_free(a);
}

/* an input with its length: some hold NUL bytes */
#define IN(s) s, sizeof(s) - 1

static const struct {
	const char *in;
	size_t len;
	const char *want;
	size_t want_len;
	const char *pos;
} cases[] = {
	{ IN("hello"),
	  IN("hello"),
	  "t:ListNode@0[TextNode@0(68656c6c6f) ];" },
	{ IN("{{.a}}"),
	  IN("{{.a}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(FieldNode@2[\"a\"] ) )) ];" },
	{ IN("{{ .a.b.c }}"),
	  IN("{{.a.b.c}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(FieldNode@5[\"a\" \"b\" \"c\"] ) )) ];" },
	{ IN("{{$}}"),
	  IN("{{$}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(VariableNode@2[\"$\"] ) )) ];" },
	{ IN("{{$.a}}"),
	  IN("{{$.a}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(VariableNode@3[\"$\" \"a\"] ) )) ];" },
	{ IN("{{.}}"),
	  IN("{{.}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(DotNode@2 ) )) ];" },
	{ IN("a{{- .x -}}  b"),
	  IN("a{{.x}}b"),
	  "t:ListNode@0[TextNode@0(61) ActionNode@5(PipeNode@5(a=false |CommandNode@5(FieldNode@5[\"x\"] ) )) TextNode@13(62) ];" },
	{ IN("a  {{- .x}}  b"),
	  IN("a{{.x}}  b"),
	  "t:ListNode@0[TextNode@0(61) ActionNode@7(PipeNode@7(a=false |CommandNode@7(FieldNode@7[\"x\"] ) )) TextNode@11(202062) ];" },
	{ IN("a  {{.x -}}  b"),
	  IN("a  {{.x}}b"),
	  "t:ListNode@0[TextNode@0(612020) ActionNode@5(PipeNode@5(a=false |CommandNode@5(FieldNode@5[\"x\"] ) )) TextNode@13(62) ];" },
	{ IN("{{-3}}"),
	  IN("{{-3}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1010 -3 0 -3) ) )) ];" },
	{ IN("{{- 3 -}}"),
	  IN("{{3}}"),
	  "t:ListNode@0[ActionNode@4(PipeNode@4(a=false |CommandNode@4(NumberNode@4(1110 3 3 3) ) )) ];" },
	{ IN("{{3 -}} x"),
	  IN("{{3}}x"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 3 3 3) ) )) TextNode@8(78) ];" },
	{ IN("{{\"a\\tb\"}}"),
	  IN("{{\"a\\tb\"}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(StringNode@2(610962) ) )) ];" },
	{ IN("{{`raw\\n`}}"),
	  IN("{{`raw\\n`}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(StringNode@2(7261775c6e) ) )) ];" },
	{ IN("{{'a'}}"),
	  IN("{{'a'}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 97 97 97) ) )) ];" },
	{ IN("{{'\\n'}}"),
	  IN("{{'\\n'}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 10 10 10) ) )) ];" },
	{ IN("{{'\\u00e9'}}"),
	  IN("{{'\\u00e9'}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 233 233 233) ) )) ];" },
	{ IN("{{'ab'}}"),
	  IN("ERR template: t:1: malformed character constant: 'ab'"),
	  NULL },
	{ IN("{{''}}"),
	  IN("ERR template: t:1: invalid syntax"),
	  NULL },
	{ IN("{{1 2 3}}"),
	  IN("{{1 2 3}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 1 1 1) NumberNode@4(1110 2 2 2) NumberNode@6(1110 3 3 3) ) )) ];" },
	{ IN("{{0x1F}}"),
	  IN("{{0x1F}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 31 31 31) ) )) ];" },
	{ IN("{{0o17}}"),
	  IN("{{0o17}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 15 15 15) ) )) ];" },
	{ IN("{{0b101}}"),
	  IN("{{0b101}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 5 5 5) ) )) ];" },
	{ IN("{{1_000}}"),
	  IN("{{1_000}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 1000 1000 1000) ) )) ];" },
	{ IN("{{1__0}}"),
	  IN("ERR template: t:1: illegal number syntax: \"1__0\""),
	  NULL },
	{ IN("{{1.5e3}}"),
	  IN("{{1.5e3}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 1500 1500 1500) ) )) ];" },
	{ IN("{{0x1p-2}}"),
	  IN("{{0x1p-2}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(0010 0 0 0.25) ) )) ];" },
	{ IN("{{.5}}"),
	  IN("{{.5}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(0010 0 0 0.5) ) )) ];" },
	{ IN("{{5.}}"),
	  IN("{{5.}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 5 5 5) ) )) ];" },
	{ IN("{{-0}}"),
	  IN("{{-0}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 0 0 0) ) )) ];" },
	{ IN("{{+5}}"),
	  IN("{{+5}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1010 5 0 5) ) )) ];" },
	{ IN("{{1e400}}"),
	  IN("ERR template: t:1: illegal number syntax: \"1e400\""),
	  NULL },
	{ IN("{{99999999999999999999}}"),
	  IN("ERR template: t:1: integer overflow: \"99999999999999999999\""),
	  NULL },
	{ IN("{{18446744073709551615}}"),
	  IN("{{18446744073709551615}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(0110 0 18446744073709551615 1.8446744073709552e+19) ) )) ];" },
	{ IN("{{089}}"),
	  IN("ERR template: t:1: integer overflow: \"089\""),
	  NULL },
	{ IN("{{12a}}"),
	  IN("ERR template: t:1: bad number syntax: \"12a\""),
	  NULL },
	{ IN("{{1+2i}}"),
	  IN("{{1+2i}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(0001 0 0 0) ) )) ];" },
	{ IN("{{2i}}"),
	  IN("{{2i}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(0001 0 0 0) ) )) ];" },
	{ IN("{{0x}}"),
	  IN("ERR template: t:1: illegal number syntax: \"0x\""),
	  NULL },
	{ IN("{{nil}}"),
	  IN("{{nil}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NilNode@2 ) )) ];" },
	{ IN("{{true}} {{false}}"),
	  IN("{{true}} {{false}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(BoolNode@2 ) )) TextNode@8(20) ActionNode@11(PipeNode@11(a=false |CommandNode@11(BoolNode@11 ) )) ];" },
	{ IN("{{if .a}}x{{end}}"),
	  IN("{{if .a}}x{{end}}"),
	  "t:ListNode@0[IfNode@5(PipeNode@5(a=false |CommandNode@5(FieldNode@5[\"a\"] ) ) ListNode@9[TextNode@9(78) ] nil) ];" },
	{ IN("{{if .a}}x{{else}}y{{end}}"),
	  IN("{{if .a}}x{{else}}y{{end}}"),
	  "t:ListNode@0[IfNode@5(PipeNode@5(a=false |CommandNode@5(FieldNode@5[\"a\"] ) ) ListNode@9[TextNode@9(78) ] ListNode@18[TextNode@18(79) ]) ];" },
	{ IN("{{if .a}}x{{else if .b}}y{{else}}z{{end}}"),
	  IN("{{if .a}}x{{else}}{{if .b}}y{{else}}z{{end}}{{end}}"),
	  "t:ListNode@0[IfNode@5(PipeNode@5(a=false |CommandNode@5(FieldNode@5[\"a\"] ) ) ListNode@9[TextNode@9(78) ] ListNode@17[IfNode@20(PipeNode@20(a=false |CommandNode@20(FieldNode@20[\"b\"] ) ) ListNode@24[TextNode@24(79) ] ListNode@33[TextNode@33(7a) ]) ]) ];" },
	{ IN("{{range .a}}{{.}}{{end}}"),
	  IN("{{range .a}}{{.}}{{end}}"),
	  "t:ListNode@0[RangeNode@8(PipeNode@8(a=false |CommandNode@8(FieldNode@8[\"a\"] ) ) ListNode@12[ActionNode@14(PipeNode@14(a=false |CommandNode@14(DotNode@14 ) )) ] nil) ];" },
	{ IN("{{range $i, $v := .a}}{{$i}}{{$v}}{{end}}"),
	  IN("{{range $i, $v := .a}}{{$i}}{{$v}}{{end}}"),
	  "t:ListNode@0[RangeNode@8(PipeNode@8(a=false VariableNode@8[\"$i\"] VariableNode@12[\"$v\"] |CommandNode@18(FieldNode@18[\"a\"] ) ) ListNode@22[ActionNode@24(PipeNode@24(a=false |CommandNode@24(VariableNode@24[\"$i\"] ) )) ActionNode@30(PipeNode@30(a=false |CommandNode@30(VariableNode@30[\"$v\"] ) )) ] nil) ];" },
	{ IN("{{range $v := .a}}{{$v}}{{else}}none{{end}}"),
	  IN("{{range $v := .a}}{{$v}}{{else}}none{{end}}"),
	  "t:ListNode@0[RangeNode@8(PipeNode@8(a=false VariableNode@8[\"$v\"] |CommandNode@14(FieldNode@14[\"a\"] ) ) ListNode@18[ActionNode@20(PipeNode@20(a=false |CommandNode@20(VariableNode@20[\"$v\"] ) )) ] ListNode@32[TextNode@32(6e6f6e65) ]) ];" },
	{ IN("{{range $i := 5}}{{$i}}{{end}}"),
	  IN("{{range $i := 5}}{{$i}}{{end}}"),
	  "t:ListNode@0[RangeNode@8(PipeNode@8(a=false VariableNode@8[\"$i\"] |CommandNode@14(NumberNode@14(1110 5 5 5) ) ) ListNode@17[ActionNode@19(PipeNode@19(a=false |CommandNode@19(VariableNode@19[\"$i\"] ) )) ] nil) ];" },
	{ IN("{{range $i, $v, $w := .a}}{{end}}"),
	  IN("ERR template: t:1: too many declarations in range"),
	  NULL },
	{ IN("{{range $i, 3}}{{end}}"),
	  IN("ERR template: t:1: range can only initialize variables"),
	  NULL },
	{ IN("{{with .a}}{{.}}{{end}}"),
	  IN("{{with .a}}{{.}}{{end}}"),
	  "t:ListNode@0[WithNode@7(PipeNode@7(a=false |CommandNode@7(FieldNode@7[\"a\"] ) ) ListNode@11[ActionNode@13(PipeNode@13(a=false |CommandNode@13(DotNode@13 ) )) ] nil) ];" },
	{ IN("{{with .a}}x{{else}}y{{end}}"),
	  IN("{{with .a}}x{{else}}y{{end}}"),
	  "t:ListNode@0[WithNode@7(PipeNode@7(a=false |CommandNode@7(FieldNode@7[\"a\"] ) ) ListNode@11[TextNode@11(78) ] ListNode@20[TextNode@20(79) ]) ];" },
	{ IN("{{with $x := .a}}{{$x}}{{end}}"),
	  IN("{{with $x := .a}}{{$x}}{{end}}"),
	  "t:ListNode@0[WithNode@7(PipeNode@7(a=false VariableNode@7[\"$x\"] |CommandNode@13(FieldNode@13[\"a\"] ) ) ListNode@17[ActionNode@19(PipeNode@19(a=false |CommandNode@19(VariableNode@19[\"$x\"] ) )) ] nil) ];" },
	{ IN("{{$x := 1}}{{$x}}"),
	  IN("{{$x := 1}}{{$x}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false VariableNode@2[\"$x\"] |CommandNode@8(NumberNode@8(1110 1 1 1) ) )) ActionNode@13(PipeNode@13(a=false |CommandNode@13(VariableNode@13[\"$x\"] ) )) ];" },
	{ IN("{{$x := 1}}{{$x = 2}}{{$x}}"),
	  IN("{{$x := 1}}{{$x := 2}}{{$x}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false VariableNode@2[\"$x\"] |CommandNode@8(NumberNode@8(1110 1 1 1) ) )) ActionNode@13(PipeNode@13(a=true VariableNode@13[\"$x\"] |CommandNode@18(NumberNode@18(1110 2 2 2) ) )) ActionNode@23(PipeNode@23(a=false |CommandNode@23(VariableNode@23[\"$x\"] ) )) ];" },
	{ IN("{{$x, $y := 1}}"),
	  IN("ERR template: t:1: too many declarations in command"),
	  NULL },
	{ IN("{{$x}}"),
	  IN("ERR template: t:1: undefined variable \"$x\""),
	  NULL },
	{ IN("{{if true}}{{$x := 1}}{{end}}{{$x}}"),
	  IN("ERR template: t:1: undefined variable \"$x\""),
	  NULL },
	{ IN("{{$x := $x}}"),
	  IN("{{$x := $x}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false VariableNode@2[\"$x\"] |CommandNode@8(VariableNode@8[\"$x\"] ) )) ];" },
	{ IN("{{.a | printf \"%d\"}}"),
	  IN("{{.a | printf \"%d\"}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(FieldNode@2[\"a\"] ) CommandNode@7(IdentifierNode@7 StringNode@14(2564) ) )) ];" },
	{ IN("{{.a | .b}}"),
	  IN("{{.a | .b}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(FieldNode@2[\"a\"] ) CommandNode@7(FieldNode@7[\"b\"] ) )) ];" },
	{ IN("{{.a | 3}}"),
	  IN("ERR template: t:1: non executable command in pipeline stage 2"),
	  NULL },
	{ IN("{{printf \"%s\" .a | upper | quote}}"),
	  IN("{{printf \"%s\" .a | upper | quote}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(IdentifierNode@2 StringNode@9(2573) FieldNode@14[\"a\"] ) CommandNode@19(IdentifierNode@19 ) CommandNode@27(IdentifierNode@27 ) )) ];" },
	{ IN("{{(.a).b}}"),
	  IN("{{(.a).b}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(ChainNode@6(PipeNode@3(a=false |CommandNode@3(FieldNode@3[\"a\"] ) ) [\"b\"]) ) )) ];" },
	{ IN("{{(printf \"x\").b.c}}"),
	  IN("{{(printf \"x\").b.c}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(ChainNode@14(PipeNode@3(a=false |CommandNode@3(IdentifierNode@3 StringNode@10(78) ) ) [\"b\" \"c\"]) ) )) ];" },
	{ IN("{{(1).b}}"),
	  IN("{{(1).b}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(ChainNode@5(PipeNode@3(a=false |CommandNode@3(NumberNode@3(1110 1 1 1) ) ) [\"b\"]) ) )) ];" },
	{ IN("{{\"x\".y}}"),
	  IN("ERR template: t:1: unexpected . after term \"\\\"x\\\"\""),
	  NULL },
	{ IN("{{nil.x}}"),
	  IN("ERR template: t:1: unexpected . after term \"nil\""),
	  NULL },
	{ IN("{{..}}"),
	  IN("ERR template: t:1: unexpected <.> in operand"),
	  NULL },
	{ IN("{{.a.}}"),
	  IN("ERR template: t:1: unexpected <.> in operand"),
	  NULL },
	{ IN("{{$x.y}}"),
	  IN("ERR template: t:1: undefined variable \"$x\""),
	  NULL },
	{ IN("{{template \"x\"}}"),
	  IN("{{template \"x\"}}"),
	  "t:ListNode@0[TemplateNode@11(\"x\" nil) ];" },
	{ IN("{{template \"x\" .}}"),
	  IN("{{template \"x\" .}}"),
	  "t:ListNode@0[TemplateNode@11(\"x\" PipeNode@15(a=false |CommandNode@15(DotNode@15 ) )) ];" },
	{ IN("{{template .x}}"),
	  IN("ERR template: t:1: unexpected \".x\" in template clause"),
	  NULL },
	{ IN("{{template \"x\" .}}{{define \"x\"}}X{{end}}"),
	  IN("{{template \"x\" .}} |\"x\": X"),
	  "t:ListNode@0[TemplateNode@11(\"x\" PipeNode@15(a=false |CommandNode@15(DotNode@15 ) )) ];x:ListNode@32[TextNode@32(58) ];" },
	{ IN("{{define \"x\"}}A{{end}}{{define \"x\"}}B{{end}}"),
	  IN("ERR template: t:1: template: multiple definition of template \"x\""),
	  NULL },
	{ IN("{{define \"x\"}}A{{end}}{{define \"x\"}} {{end}}"),
	  IN(" |\"x\": A"),
	  "t:ListNode@0[];x:ListNode@14[TextNode@14(41) ];" },
	{ IN("{{define \"x\"}} {{end}}{{define \"x\"}}B{{end}}"),
	  IN(" |\"x\": B"),
	  "t:ListNode@0[];x:ListNode@36[TextNode@36(42) ];" },
	{ IN("{{define \"t\"}}T{{end}}"),
	  IN("T"),
	  "t:ListNode@14[TextNode@14(54) ];" },
	{ IN("{{define \"t\"}}T{{end}}body"),
	  IN("ERR template: t:1: template: multiple definition of template \"t\""),
	  NULL },
	{ IN("{{block \"b\" .}}default{{end}}"),
	  IN("{{template \"b\" .}} |\"b\": default"),
	  "t:ListNode@0[TemplateNode@8(\"b\" PipeNode@12(a=false |CommandNode@12(DotNode@12 ) )) ];b:ListNode@15[TextNode@15(64656661756c74) ];" },
	{ IN("{{block \"b\"}}default{{end}}"),
	  IN("ERR template: t:1: missing value for block clause"),
	  NULL },
	{ IN("{{block \"b\" .}}x{{else}}y{{end}}"),
	  IN("ERR template: t:1: unexpected {{else}} in block clause"),
	  NULL },
	{ IN("{{define}}{{end}}"),
	  IN("ERR template: t:1: unexpected \"}}\" in define clause"),
	  NULL },
	{ IN("{{define \"a\"}}"),
	  IN("ERR template: t:1: unexpected EOF"),
	  NULL },
	{ IN("{{define \"a\"}}{{else}}{{end}}"),
	  IN("ERR template: t:1: unexpected {{else}} in define clause"),
	  NULL },
	{ IN("{{if .a}}{{define \"x\"}}{{end}}{{end}}"),
	  IN("ERR template: t:1: unexpected <define> in command"),
	  NULL },
	{ IN("{{break}}"),
	  IN("ERR template: t:1: {{break}} outside {{range}}"),
	  NULL },
	{ IN("{{continue}}"),
	  IN("ERR template: t:1: {{continue}} outside {{range}}"),
	  NULL },
	{ IN("{{range .}}{{break}}{{end}}"),
	  IN("{{range .}}{{break}}{{end}}"),
	  "t:ListNode@0[RangeNode@8(PipeNode@8(a=false |CommandNode@8(DotNode@8 ) ) ListNode@11[BreakNode@13 ] nil) ];" },
	{ IN("{{range .}}{{continue}}{{end}}"),
	  IN("{{range .}}{{continue}}{{end}}"),
	  "t:ListNode@0[RangeNode@8(PipeNode@8(a=false |CommandNode@8(DotNode@8 ) ) ListNode@11[ContinueNode@13 ] nil) ];" },
	{ IN("{{range .}}{{if .}}{{break}}{{end}}{{end}}"),
	  IN("{{range .}}{{if .}}{{break}}{{end}}{{end}}"),
	  "t:ListNode@0[RangeNode@8(PipeNode@8(a=false |CommandNode@8(DotNode@8 ) ) ListNode@11[IfNode@16(PipeNode@16(a=false |CommandNode@16(DotNode@16 ) ) ListNode@19[BreakNode@21 ] nil) ] nil) ];" },
	{ IN("{{range .}}{{else}}{{break}}{{end}}"),
	  IN("ERR template: t:1: {{break}} outside {{range}}"),
	  NULL },
	{ IN("{{range .}}{{break 1}}{{end}}"),
	  IN("ERR template: t:1: unexpected \"1\" in {{break}}"),
	  NULL },
	{ IN("{{if}}{{end}}"),
	  IN("ERR template: t:1: missing value for if"),
	  NULL },
	{ IN("{{if .a}}"),
	  IN("ERR template: t:1: unexpected EOF"),
	  NULL },
	{ IN("{{if .a}}{{else}}{{else}}{{end}}"),
	  IN("ERR template: t:1: expected end; found {{else}}"),
	  NULL },
	{ IN("{{else}}"),
	  IN("ERR template: t:1: unexpected {{else}}"),
	  NULL },
	{ IN("{{end}}"),
	  IN("ERR template: t:1: unexpected {{end}}"),
	  NULL },
	{ IN("{{end x}}"),
	  IN("ERR template: t:1: unexpected \"x\" in end"),
	  NULL },
	{ IN("{{else x}}"),
	  IN("ERR template: t:1: unexpected \"x\" in else"),
	  NULL },
	{ IN("{{if .a}}{{else x}}{{end}}"),
	  IN("ERR template: t:1: unexpected \"x\" in else"),
	  NULL },
	{ IN("{{}}"),
	  IN("ERR template: t:1: missing value for command"),
	  NULL },
	{ IN("{{ }}"),
	  IN("ERR template: t:1: missing value for command"),
	  NULL },
	{ IN("{{.a b}}"),
	  IN("ERR template: t:1: function \"b\" not defined"),
	  NULL },
	{ IN("{{nosuch}}"),
	  IN("ERR template: t:1: function \"nosuch\" not defined"),
	  NULL },
	{ IN("{{nosuch .a}}"),
	  IN("ERR template: t:1: function \"nosuch\" not defined"),
	  NULL },
	{ IN("{{ .a ; }}"),
	  IN("ERR template: t:1: unexpected \";\" in operand"),
	  NULL },
	{ IN("{{/* comment */}}"),
	  IN(""),
	  "t:ListNode@17[];" },
	{ IN("{{- /* comment */ -}}"),
	  IN(""),
	  "t:ListNode@21[];" },
	{ IN("a {{- /* c */ -}} b"),
	  IN("ab"),
	  "t:ListNode@0[TextNode@0(61) TextNode@18(62) ];" },
	{ IN("{{/*comment*/ }}"),
	  IN("ERR template: t:1: comment ends before closing delimiter"),
	  NULL },
	{ IN("{{/* unclosed"),
	  IN("ERR template: t:1: unclosed comment"),
	  NULL },
	{ IN("{{/* c */ .x}}"),
	  IN("ERR template: t:1: comment ends before closing delimiter"),
	  NULL },
	{ IN("{{ /* c */ }}"),
	  IN("ERR template: t:1: unexpected \"/\" in command"),
	  NULL },
	{ IN("{{(}}"),
	  IN("ERR template: t:1: unclosed left paren"),
	  NULL },
	{ IN("{{(.a}}"),
	  IN("ERR template: t:1: unclosed left paren"),
	  NULL },
	{ IN("{{.a)}}"),
	  IN("ERR template: t:1: unexpected right paren"),
	  NULL },
	{ IN("{{)}}"),
	  IN("ERR template: t:1: unexpected right paren"),
	  NULL },
	{ IN("{{(.a) }}"),
	  IN("{{(.a)}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(PipeNode@3(a=false |CommandNode@3(FieldNode@3[\"a\"] ) ) ) )) ];" },
	{ IN("{{\"unterminated}}"),
	  IN("ERR template: t:1: unterminated quoted string"),
	  NULL },
	{ IN("{{`unterminated}}"),
	  IN("ERR template: t:1: unterminated raw quoted string"),
	  NULL },
	{ IN("{{'x}}"),
	  IN("ERR template: t:1: unterminated character constant"),
	  NULL },
	{ IN("{{\"\\q\"}}"),
	  IN("ERR template: t:1: invalid syntax"),
	  NULL },
	{ IN("{{\"\\x41\\101\\u0041\\U00000041\"}}"),
	  IN("{{\"\\x41\\101\\u0041\\U00000041\"}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(StringNode@2(41414141) ) )) ];" },
	{ IN("{{\"\\'\"}}"),
	  IN("ERR template: t:1: invalid syntax"),
	  NULL },
	{ IN("{{'\\\"'}}"),
	  IN("ERR template: t:1: invalid syntax"),
	  NULL },
	{ IN("{{\"\303\251\"}}"),
	  IN("{{\"\303\251\"}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(StringNode@2(c3a9) ) )) ];" },
	{ IN("{{:}}"),
	  IN("ERR template: t:1: expected :="),
	  NULL },
	{ IN("{{:=}}"),
	  IN("ERR template: t:1: unexpected \":=\" in command"),
	  NULL },
	{ IN("{{= 1}}"),
	  IN("ERR template: t:1: unexpected \"=\" in command"),
	  NULL },
	{ IN("{{.a-b}}"),
	  IN("ERR template: t:1: bad character U+002D '-'"),
	  NULL },
	{ IN("{{.Values.a-b}}"),
	  IN("ERR template: t:1: bad character U+002D '-'"),
	  NULL },
	{ IN("{{$a-b}}"),
	  IN("ERR template: t:1: bad character U+002D '-'"),
	  NULL },
	{ IN("{{#}}"),
	  IN("ERR template: t:1: unexpected \"#\" in command"),
	  NULL },
	{ IN("{{.a | }}"),
	  IN("{{.a}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(FieldNode@2[\"a\"] ) )) ];" },
	{ IN("{{| .a}}"),
	  IN("ERR template: t:1: unexpected \"|\" in command"),
	  NULL },
	{ IN("{{.a || .b}}"),
	  IN("ERR template: t:1: unexpected \"|\" in command"),
	  NULL },
	{ IN("{{.a.b | printf \"%s\" | printf \"%q\"}}"),
	  IN("{{.a.b | printf \"%s\" | printf \"%q\"}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(FieldNode@4[\"a\" \"b\"] ) CommandNode@9(IdentifierNode@9 StringNode@16(2573) ) CommandNode@23(IdentifierNode@23 StringNode@30(2571) ) )) ];" },
	{ IN("{{and 1 2 | not}}"),
	  IN("{{and 1 2 | not}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(IdentifierNode@2 NumberNode@6(1110 1 1 1) NumberNode@8(1110 2 2 2) ) CommandNode@12(IdentifierNode@12 ) )) ];" },
	{ IN("{{printf \"%d\" (len .a)}}"),
	  IN("{{printf \"%d\" (len .a)}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(IdentifierNode@2 StringNode@9(2564) PipeNode@15(a=false |CommandNode@15(IdentifierNode@15 FieldNode@19[\"a\"] ) ) ) )) ];" },
	{ IN("{{printf \"%d\" (len (index .a 1))}}"),
	  IN("{{printf \"%d\" (len (index .a 1))}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(IdentifierNode@2 StringNode@9(2564) PipeNode@15(a=false |CommandNode@15(IdentifierNode@15 PipeNode@20(a=false |CommandNode@20(IdentifierNode@20 FieldNode@26[\"a\"] NumberNode@29(1110 1 1 1) ) ) ) ) ) )) ];" },
	{ IN("{{ printf \"x\" -}}"),
	  IN("{{printf \"x\"}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(IdentifierNode@3 StringNode@10(78) ) )) ];" },
	{ IN("{{printf \"a\" \"b\" \"c\" \"d\" \"e\" \"f\" \"g\"}}"),
	  IN("{{printf \"a\" \"b\" \"c\" \"d\" \"e\" \"f\" \"g\"}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(IdentifierNode@2 StringNode@9(61) StringNode@13(62) StringNode@17(63) StringNode@21(64) StringNode@25(65) StringNode@29(66) StringNode@33(67) ) )) ];" },
	{ IN("{{ \"abcdefghijklmnop\" 1 2 }} {{end}}"),
	  IN("ERR template: t:1: unexpected {{end}}"),
	  NULL },
	{ IN("{{ if \"abcdefghijkl\" }}{{ else }}{{ else }}{{ end }}"),
	  IN("ERR template: t:1: expected end; found {{else}}"),
	  NULL },
	{ IN("{{ (1 2) }}"),
	  IN("{{(1 2)}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(PipeNode@4(a=false |CommandNode@4(NumberNode@4(1110 1 1 1) NumberNode@6(1110 2 2 2) ) ) ) )) ];" },
	{ IN("{{ $x := 1 }}{{ if $x }}{{ $y := 2 }}{{ $y }}{{ end }}{{ $y }}"),
	  IN("ERR template: t:1: undefined variable \"$y\""),
	  NULL },
	{ IN("{{if .a}}{{$x := 1}}{{else}}{{$x}}{{end}}"),
	  IN("{{if .a}}{{$x := 1}}{{else}}{{$x}}{{end}}"),
	  "t:ListNode@0[IfNode@5(PipeNode@5(a=false |CommandNode@5(FieldNode@5[\"a\"] ) ) ListNode@9[ActionNode@11(PipeNode@11(a=false VariableNode@11[\"$x\"] |CommandNode@17(NumberNode@17(1110 1 1 1) ) )) ] ListNode@28[ActionNode@30(PipeNode@30(a=false |CommandNode@30(VariableNode@30[\"$x\"] ) )) ]) ];" },
	{ IN("line1"),
	  IN("line1"),
	  "t:ListNode@0[TextNode@0(6c696e6531) ];" },
	{ IN("line2 {{.a"),
	  IN("ERR template: t:1: unclosed action"),
	  NULL },
	{ IN("line1"),
	  IN("line1"),
	  "t:ListNode@0[TextNode@0(6c696e6531) ];" },
	{ IN("{{.a"),
	  IN("ERR template: t:1: unclosed action"),
	  NULL },
	{ IN("}}"),
	  IN("}}"),
	  "t:ListNode@0[TextNode@0(7d7d) ];" },
	{ IN("line1"),
	  IN("line1"),
	  "t:ListNode@0[TextNode@0(6c696e6531) ];" },
	{ IN("{{if .a}}"),
	  IN("ERR template: t:1: unexpected EOF"),
	  NULL },
	{ IN("{{else}}"),
	  IN("ERR template: t:1: unexpected {{else}}"),
	  NULL },
	{ IN("{{nosuch}}"),
	  IN("ERR template: t:1: function \"nosuch\" not defined"),
	  NULL },
	{ IN("{{end}}"),
	  IN("ERR template: t:1: unexpected {{end}}"),
	  NULL },
	{ IN("{{with .a}}{{else with .b}}y{{end}}"),
	  IN("{{with .a}}{{else}}{{with .b}}y{{end}}{{end}}"),
	  NULL },
	{ IN("{{with .a}}{{else with .b}}y{{else}}z{{end}}"),
	  IN("{{with .a}}{{else}}{{with .b}}y{{else}}z{{end}}{{end}}"),
	  NULL },
	{ IN("{{if .a}}{{else with .b}}{{end}}"),
	  IN("ERR template: t:1: unexpected <with> in input"),
	  NULL },
	{ IN("{{range .a}}{{else if .b}}{{end}}"),
	  IN("ERR template: t:1: unexpected <if> in input"),
	  NULL },
	{ IN("{{.a.b.c.d}}"),
	  IN("{{.a.b.c.d}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(FieldNode@4[\"a\" \"b\" \"c\" \"d\"] ) )) ];" },
	{ IN("{{$x := .a}}{{$x.b.c}}"),
	  IN("{{$x := .a}}{{$x.b.c}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false VariableNode@2[\"$x\"] |CommandNode@8(FieldNode@8[\"a\"] ) )) ActionNode@14(PipeNode@14(a=false |CommandNode@14(VariableNode@16[\"$x\" \"b\" \"c\"] ) )) ];" },
	{ IN("{{$x := .a}}{{($x).b}}"),
	  IN("{{$x := .a}}{{($x).b}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false VariableNode@2[\"$x\"] |CommandNode@8(FieldNode@8[\"a\"] ) )) ActionNode@14(PipeNode@14(a=false |CommandNode@14(ChainNode@18(PipeNode@15(a=false |CommandNode@15(VariableNode@15[\"$x\"] ) ) [\"b\"]) ) )) ];" },
	{ IN("{{index . \"a\" | len}}"),
	  IN("{{index . \"a\" | len}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(IdentifierNode@2 DotNode@8 StringNode@10(61) ) CommandNode@16(IdentifierNode@16 ) )) ];" },
	{ IN("{{range $k, $v := .}}{{$k}}={{$v}};{{end}}"),
	  IN("{{range $k, $v := .}}{{$k}}={{$v}};{{end}}"),
	  "t:ListNode@0[RangeNode@8(PipeNode@8(a=false VariableNode@8[\"$k\"] VariableNode@12[\"$v\"] |CommandNode@18(DotNode@18 ) ) ListNode@21[ActionNode@23(PipeNode@23(a=false |CommandNode@23(VariableNode@23[\"$k\"] ) )) TextNode@27(3d) ActionNode@30(PipeNode@30(a=false |CommandNode@30(VariableNode@30[\"$v\"] ) )) TextNode@34(3b) ] nil) ];" },
	{ IN("{{- range $i, $e := .}}{{- end}}"),
	  IN("{{range $i, $e := .}}{{end}}"),
	  "t:ListNode@0[RangeNode@10(PipeNode@10(a=false VariableNode@10[\"$i\"] VariableNode@14[\"$e\"] |CommandNode@20(DotNode@20 ) ) ListNode@23[] nil) ];" },
	{ IN("{{\"\\u00e9\" | printf \"%s\"}}"),
	  IN("{{\"\\u00e9\" | printf \"%s\"}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(StringNode@2(c3a9) ) CommandNode@13(IdentifierNode@13 StringNode@20(2573) ) )) ];" },
	{ IN("{{template \"a\\tb\"}}"),
	  IN("{{template \"a\\tb\"}}"),
	  "t:ListNode@0[TemplateNode@11(\"a\\tb\" nil) ];" },
	{ IN("{{template \"\303\251\"}}"),
	  IN("{{template \"\303\251\"}}"),
	  "t:ListNode@0[TemplateNode@11(\"\303\251\" nil) ];" },
	{ IN("{{template \"\\x01\"}}"),
	  IN("{{template \"\\x01\"}}"),
	  "t:ListNode@0[TemplateNode@11(\"\\x01\" nil) ];" },
	{ IN("x{{template `raw`}}"),
	  IN("x{{template \"raw\"}}"),
	  "t:ListNode@0[TextNode@0(78) TemplateNode@12(\"raw\" nil) ];" },
	{ IN("{{.a}}{{.b}}{{.c}}"),
	  IN("{{.a}}{{.b}}{{.c}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(FieldNode@2[\"a\"] ) )) ActionNode@8(PipeNode@8(a=false |CommandNode@8(FieldNode@8[\"b\"] ) )) ActionNode@14(PipeNode@14(a=false |CommandNode@14(FieldNode@14[\"c\"] ) )) ];" },
	{ IN("  {{- \"a\" -}}  "),
	  IN("{{\"a\"}}"),
	  "t:ListNode@2[ActionNode@6(PipeNode@6(a=false |CommandNode@6(StringNode@6(61) ) )) ];" },
	{ IN("{{\"a\" -}}"),
	  IN("{{\"a\"}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(StringNode@2(61) ) )) ];" },
	{ IN(""),
	  IN(""),
	  "t:ListNode@0[];" },
	{ IN("  b"),
	  IN("  b"),
	  "t:ListNode@0[TextNode@0(202062) ];" },
	{ IN("{{ 1 }}{{ -1 }}{{ - 1 }}"),
	  IN("ERR template: t:1: illegal number syntax: \"-\""),
	  NULL },
	{ IN("{{.a -}}}"),
	  IN("{{.a}}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(FieldNode@2[\"a\"] ) )) TextNode@8(7d) ];" },
	{ IN("{{-.a}}"),
	  IN("ERR template: t:1: bad number syntax: \"-.a\""),
	  NULL },
	{ IN("{{- .a}}"),
	  IN("{{.a}}"),
	  "t:ListNode@0[ActionNode@4(PipeNode@4(a=false |CommandNode@4(FieldNode@4[\"a\"] ) )) ];" },
	{ IN("{{.a|printf}}"),
	  IN("{{.a | printf}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(FieldNode@2[\"a\"] ) CommandNode@5(IdentifierNode@5 ) )) ];" },
	{ IN("{{.a|printf|printf}}"),
	  IN("{{.a | printf | printf}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(FieldNode@2[\"a\"] ) CommandNode@5(IdentifierNode@5 ) CommandNode@12(IdentifierNode@12 ) )) ];" },
	{ IN("{{.a"),
	  IN("ERR template: t:1: unclosed action"),
	  NULL },
	{ IN("| printf}}"),
	  IN("| printf}}"),
	  "t:ListNode@0[TextNode@0(7c207072696e74667d7d) ];" },
	{ IN("{{ $ := 1 }}"),
	  IN("{{$ := 1}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false VariableNode@3[\"$\"] |CommandNode@8(NumberNode@8(1110 1 1 1) ) )) ];" },
	{ IN("{{ $.x }}"),
	  IN("{{$.x}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(VariableNode@4[\"$\" \"x\"] ) )) ];" },
	{ IN("{{ range $ := . }}{{ end }}"),
	  IN("{{range $ := .}}{{end}}"),
	  "t:ListNode@0[RangeNode@9(PipeNode@9(a=false VariableNode@9[\"$\"] |CommandNode@14(DotNode@14 ) ) ListNode@18[] nil) ];" },
	{ IN("{{ $x := 1 }}{{ range $x = . }}{{ end }}"),
	  IN("{{$x := 1}}{{range $x := .}}{{end}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false VariableNode@3[\"$x\"] |CommandNode@9(NumberNode@9(1110 1 1 1) ) )) RangeNode@22(PipeNode@22(a=true VariableNode@22[\"$x\"] |CommandNode@27(DotNode@27 ) ) ListNode@31[] nil) ];" },
	{ IN("{{ $x, $y := . }}"),
	  IN("ERR template: t:1: too many declarations in command"),
	  NULL },
	{ IN("{{ with $x, $y := . }}{{ end }}"),
	  IN("ERR template: t:1: too many declarations in with"),
	  NULL },
	{ IN("{{ range $x, $y = . }}{{ end }}"),
	  IN("{{range $x, $y := .}}{{end}}"),
	  "t:ListNode@0[RangeNode@9(PipeNode@9(a=true VariableNode@9[\"$x\"] VariableNode@13[\"$y\"] |CommandNode@18(DotNode@18 ) ) ListNode@22[] nil) ];" },
	{ IN("{{ $x = 1 }}"),
	  IN("{{$x := 1}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=true VariableNode@3[\"$x\"] |CommandNode@8(NumberNode@8(1110 1 1 1) ) )) ];" },
	{ IN("{{'\\''}}"),
	  IN("{{'\\''}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 39 39 39) ) )) ];" },
	{ IN("{{'\\x41'}}"),
	  IN("{{'\\x41'}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 65 65 65) ) )) ];" },
	{ IN("{{'\\101'}}"),
	  IN("{{'\\101'}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 65 65 65) ) )) ];" },
	{ IN("{{'\\400'}}"),
	  IN("ERR template: t:1: invalid syntax"),
	  NULL },
	{ IN("{{'\\ud800'}}"),
	  IN("ERR template: t:1: invalid syntax"),
	  NULL },
	{ IN("{{\"\\ud800\"}}"),
	  IN("ERR template: t:1: invalid syntax"),
	  NULL },
	{ IN("{{0x_1F}}"),
	  IN("{{0x_1F}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 31 31 31) ) )) ];" },
	{ IN("{{0_7}}"),
	  IN("{{0_7}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 7 7 7) ) )) ];" },
	{ IN("{{1_}}"),
	  IN("ERR template: t:1: illegal number syntax: \"1_\""),
	  NULL },
	{ IN("{{_1}}"),
	  IN("ERR template: t:1: function \"_1\" not defined"),
	  NULL },
	{ IN("{{0x1.8p1}}"),
	  IN("{{0x1.8p1}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 3 3 3) ) )) ];" },
	{ IN("{{0x1.8}}"),
	  IN("ERR template: t:1: illegal number syntax: \"0x1.8\""),
	  NULL },
	{ IN("{{1e}}"),
	  IN("ERR template: t:1: illegal number syntax: \"1e\""),
	  NULL },
	{ IN("{{1e+}}"),
	  IN("ERR template: t:1: illegal number syntax: \"1e+\""),
	  NULL },
	{ IN("{{.1.2}}"),
	  IN("ERR template: t:1: unexpected \".2\" in operand"),
	  NULL },
	{ IN("{{1.2.3}}"),
	  IN("ERR template: t:1: unexpected \".3\" in operand"),
	  NULL },
	{ IN("{{1e3}}"),
	  IN("{{1e3}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 1000 1000 1000) ) )) ];" },
	{ IN("{{1.0}}"),
	  IN("{{1.0}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 1 1 1) ) )) ];" },
	{ IN("{{-1.5}}"),
	  IN("{{-1.5}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(0010 0 0 -1.5) ) )) ];" },
	{ IN("{{0i}}"),
	  IN("{{0i}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1111 0 0 0) ) )) ];" },
	{ IN("{{1+0i}}"),
	  IN("{{1+0i}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1111 1 1 1) ) )) ];" },
	{ IN("{{3.5i}}"),
	  IN("{{3.5i}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(0001 0 0 0) ) )) ];" },
	{ IN("{{0X1P4}}"),
	  IN("{{0X1P4}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1110 16 16 16) ) )) ];" },
	{ IN("{{9223372036854775808}}"),
	  IN("{{9223372036854775808}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(0110 0 9223372036854775808 9.2233720368547758e+18) ) )) ];" },
	{ IN("{{-9223372036854775808}}"),
	  IN("{{-9223372036854775808}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(1010 -9223372036854775808 0 -9.2233720368547758e+18) ) )) ];" },
	{ IN("{{-9223372036854775809}}"),
	  IN("ERR template: t:1: integer overflow: \"-9223372036854775809\""),
	  NULL },
	{ IN("{{1e19}}"),
	  IN("{{1e19}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(0110 0 10000000000000000000 1e+19) ) )) ];" },
	{ IN("{{if .a}}\n{{.b}}\n{{else}}\n{{end}}\n{{nosuch}}"),
	  IN("ERR template: t:5: function \"nosuch\" not defined"),
	  NULL },
	{ IN("a\n{{/* multi\nline */}}\n{{nosuch}}"),
	  IN("ERR template: t:4: function \"nosuch\" not defined"),
	  NULL },
	{ IN("a\n{{- /* multi\nline */ -}}\n{{nosuch}}"),
	  IN("ERR template: t:4: function \"nosuch\" not defined"),
	  NULL },
	{ IN("{{`a\nb`}}\n{{nosuch}}"),
	  IN("ERR template: t:3: function \"nosuch\" not defined"),
	  NULL },
	{ IN("{{.a\n.b}}"),
	  IN("{{.a .b}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(FieldNode@2[\"a\"] FieldNode@5[\"b\"] ) )) ];" },
	{ IN("{{define \"x\"}}\n{{nosuch}}{{end}}"),
	  IN("ERR template: t:2: function \"nosuch\" not defined"),
	  NULL },
	{ IN("{{block \"x\" .}}\n\n{{else}}{{end}}"),
	  IN("ERR template: t:1: unexpected {{else}} in block clause"),
	  NULL },
	{ IN("{{if .a}}\n\n{{else}}\n{{else}}{{end}}"),
	  IN("ERR template: t:4: expected end; found {{else}}"),
	  NULL },
	{ IN("{{\"a\" |\n\n3}}"),
	  IN("ERR template: t:3: non executable command in pipeline stage 2"),
	  NULL },
	{ IN("\n\n{{.a"),
	  IN("ERR template: t:3: unclosed action"),
	  NULL },
	{ IN("{{.a\n\n"),
	  IN("ERR template: t:3: unclosed action started at t:1"),
	  NULL },
	{ IN("{{(.a\n\n}}"),
	  IN("ERR template: t:3: unclosed left paren in action started at t:1"),
	  NULL },
	{ IN("x\015\n{{- .a}}"),
	  IN("x{{.a}}"),
	  "t:ListNode@0[TextNode@0(78) ActionNode@7(PipeNode@7(a=false |CommandNode@7(FieldNode@7[\"a\"] ) )) ];" },
	{ IN("{{`a\015\nb`}}"),
	  IN("{{`a\015\nb`}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(StringNode@2(610a62) ) )) ];" },
	{ IN("{{\"\\x00\"}}"),
	  IN("{{\"\\x00\"}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(StringNode@2(00) ) )) ];" },
	{ IN("{{ \001 }}"),
	  IN("ERR template: t:1: unrecognized character in action: U+0001"),
	  NULL },
	{ IN("{{ \303\277 }}"),
	  IN("ERR template: t:1: function \"\303\277\" not defined"),
	  NULL },
	{ IN("{{ \303\251 }}"),
	  IN("ERR template: t:1: function \"\303\251\" not defined"),
	  NULL },
	{ IN("{{ .\303\251 }}"),
	  IN("{{.\303\251}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(FieldNode@3[\"\303\251\"] ) )) ];" },
	{ IN("{{ .a\302\240 }}"),
	  IN("ERR template: t:1: bad character U+00A0"),
	  NULL },
	{ IN("{{ \"\303\277\" }}"),
	  IN("{{\"\303\277\"}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(StringNode@3(c3bf) ) )) ];" },
	{ IN("{{ \"abcdefghij\303\277k\" 1 }}"),
	  IN("{{\"abcdefghij\303\277k\" 1}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(StringNode@3(6162636465666768696ac3bf6b) NumberNode@19(1110 1 1 1) ) )) ];" },
	{ IN("{{ `\303\277` | printf }}"),
	  IN("{{`\303\277` | printf}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(StringNode@3(c3bf) ) CommandNode@10(IdentifierNode@10 ) )) ];" },
	{ IN("\303\277{{.a}}\303\277"),
	  IN("\303\277{{.a}}\303\277"),
	  "t:ListNode@0[TextNode@0(c3bf) ActionNode@4(PipeNode@4(a=false |CommandNode@4(FieldNode@4[\"a\"] ) )) TextNode@8(c3bf) ];" },
	{ IN("{{ '\303\251' }}"),
	  IN("{{'\303\251'}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(NumberNode@3(1110 233 233 233) ) )) ];" },
	{ IN("{{ '\303\277' }}"),
	  IN("{{'\303\277'}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(NumberNode@3(1110 255 255 255) ) )) ];" },
	{ IN("{{ \"\346\227\245\346\234\254\350\252\236\346\227\245\346\234\254\350\252\236\346\227\245\346\234\254\350\252\236\346\227\245\346\234\254\350\252\236\" 1 }}"),
	  IN("{{\"\346\227\245\346\234\254\350\252\236\346\227\245\346\234\254\350\252\236\346\227\245\346\234\254\350\252\236\346\227\245\346\234\254\350\252\236\" 1}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(StringNode@3(e697a5e69cace8aa9ee697a5e69cace8aa9ee697a5e69cace8aa9ee697a5e69cace8aa9e) NumberNode@42(1110 1 1 1) ) )) ];" },
	{ IN("{{ \"a\000b\" 1 }}"),
	  IN("{{\"a\000b\" 1}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(StringNode@3(610062) NumberNode@9(1110 1 1 1) ) )) ];" },
	{ IN("{{ `a\000b` }}"),
	  IN("{{`a\000b`}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(StringNode@3(610062) ) )) ];" },
	{ IN("{{range\331\236 b}}"),
	  IN("ERR template: t:1: bad character U+065E '\331\236'"),
	  NULL },
	{ IN("{{\334\207}}"),
	  IN("ERR template: t:1: unrecognized character in action: U+0707 '\334\207'"),
	  NULL },
	{ IN("{{ .a\331\240b }}"),
	  IN("{{.a\331\240b}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(FieldNode@3[\"a\331\240b\"] ) )) ];" },
	{ IN("{{ \303\251t\303\251 }}"),
	  IN("ERR template: t:1: function \"\303\251t\303\251\" not defined"),
	  NULL },
	{ IN("{{12+i}}"),
	  IN("ERR template: t:1: syntax error scanning complex number"),
	  NULL },
	{ IN("{{1+2i}}"),
	  IN("{{1+2i}}"),
	  "t:ListNode@0[ActionNode@2(PipeNode@2(a=false |CommandNode@2(NumberNode@2(0001 0 0 0) ) )) ];" },
	{ IN("{{ .x\342\200\250 }}"),
	  IN("ERR template: t:1: bad character U+2028"),
	  NULL },
	{ IN("{{ \"\342\200\250\302\240\" 1 }}"),
	  IN("{{\"\342\200\250\302\240\" 1}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(StringNode@3(e280a8c2a0) NumberNode@11(1110 1 1 1) ) )) ];" },
	{ IN("{{ '\000' }}"),
	  IN("{{'\000'}}"),
	  "t:ListNode@0[ActionNode@3(PipeNode@3(a=false |CommandNode@3(NumberNode@3(1110 0 0 0) ) )) ];" },
};

TEST(matches_go)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;
		show(&b, cases[i].in, cases[i].len, false);
		bool same = b.len == cases[i].want_len && memcmp(b.ptr, cases[i].want, b.len) == 0;
		if (!same)
			printf("#   case %zu: %.*s\n", i, (int)cases[i].len, cases[i].in);
		CHECK_STR(b.ptr, cases[i].want);
		CHECK(same);
		if (cases[i].pos) {
			buf_reset(&b);
			show(&b, cases[i].in, cases[i].len, true);
			if (strcmp(b.ptr, cases[i].pos) != 0)
				printf("#   case %zu: %.*s\n", i, (int)cases[i].len, cases[i].in);
			CHECK_STR(b.ptr, cases[i].pos);
		}
		buf_release(&b);
	}
}

static int parse_with(struct arena *a, const char *s, const struct tparse_opts *o,
		      struct ttree ***t, size_t *nt)
{
	return tparse(a, "t", s, strlen(s), o, t, nt);
}

static const char *str_of(struct arena *a, const struct tnode *n)
{
	struct buf b = BUF_INIT;
	tnode_string(&b, n);
	char *r = arena_strdup(a, b.ptr);
	buf_release(&b);
	return r;
}

TEST(custom_delimiters)
{
	struct arena *a = arena_new();
	struct tparse_opts o = { .left_delim = "[[", .right_delim = "]]", .has_func = has_func };
	struct ttree **t;
	size_t nt;
	REQUIRE(parse_with(a, "{{.a}} [[- .b -]] [[/* c */]]x[[if .c]]y[[end]]", &o, &t, &nt) == 0);
	CHECK_STR(str_of(a, t[0]->root), "{{.a}}{{.b}}x{{if .c}}y{{end}}");
	CHECK_INT(t[0]->root->u.list.items[1]->pos, 11);
	/* "}}" is plain text, and the right delimiter ends identifiers */
	REQUIRE(parse_with(a, "[[.a]]}}[[printf \"%d\" 1]]", &o, &t, &nt) == 0);
	CHECK_STR(str_of(a, t[0]->root), "{{.a}}}}{{printf \"%d\" 1}}");
	CHECK(parse_with(a, "[[.a}}", &o, &t, &nt) == ERR_INVALID);
	CHECK_STR(err_msg(), "template: t:1: bad character U+007D '}'");
	/* one-character delimiters; empty ones are Go's defaults */
	struct tparse_opts o1 = { .left_delim = "<", .right_delim = ">" };
	REQUIRE(parse_with(a, "a<.x>b< .y >", &o1, &t, &nt) == 0);
	CHECK_STR(str_of(a, t[0]->root), "a{{.x}}b{{.y}}");
	struct tparse_opts o2 = { .left_delim = "", .right_delim = "" };
	REQUIRE(parse_with(a, "{{.x}}", &o2, &t, &nt) == 0);
	CHECK_STR(str_of(a, t[0]->root), "{{.x}}");
	arena_free(a);
}

TEST(comments_kept_on_request)
{
	struct arena *a = arena_new();
	struct tparse_opts o = { .keep_comments = true };
	struct ttree **t;
	size_t nt;
	REQUIRE(parse_with(a, "a {{- /* c\n */ -}} b{{/**/}}", &o, &t, &nt) == 0);
	struct tnode *r = t[0]->root;
	REQUIRE(r->u.list.len == 4);
	CHECK_INT(r->u.list.items[1]->type, TN_COMMENT);
	CHECK_STR(r->u.list.items[1]->u.comment.text, "/* c\n */");
	CHECK_STR(str_of(a, r), "a{{/* c\n */}}b{{/**/}}");
	CHECK(tnode_is_empty_tree(r->u.list.items[1]));
	/* lines after a multi-line comment count its newlines */
	CHECK(parse_with(a, "{{/*\n\n*/}}{{nosuch}}", &opts, &t, &nt) == ERR_INVALID);
	CHECK_STR(err_msg(), "template: t:3: function \"nosuch\" not defined");
	arena_free(a);
}

static bool all_funcs(void *ud, const char *name)
{
	(void)ud;
	(void)name;
	return true;
}

TEST(function_check)
{
	struct arena *a = arena_new();
	struct ttree **t;
	size_t nt;
	struct tparse_opts none = { 0 };
	REQUIRE(parse_with(a, "{{nosuch 1 | other}}", &none, &t, &nt) == 0);
	CHECK_STR(str_of(a, t[0]->root), "{{nosuch 1 | other}}");
	CHECK(parse_with(a, "{{nosuch 1 | other}}", NULL, &t, &nt) == 0);
	/* a function named break or continue makes the keyword a function name (Go) */
	struct tparse_opts all = { .has_func = all_funcs };
	REQUIRE(parse_with(a, "{{break}}{{continue 1}}", &all, &t, &nt) == 0);
	CHECK_INT(t[0]->root->u.list.items[0]->type, TN_ACTION);
	CHECK_STR(str_of(a, t[0]->root), "{{break}}{{continue 1}}");
	CHECK(parse_with(a, "\n{{nosuch}}", &opts, &t, &nt) == ERR_INVALID);
	CHECK_STR(err_msg(), "template: t:2: function \"nosuch\" not defined");
	arena_free(a);
}

TEST(tree_order_and_redefinition)
{
	struct arena *a = arena_new();
	struct ttree **t;
	size_t nt;
	REQUIRE(parse_with(a, "{{define \"b\"}}B{{end}}top{{define \"a\"}}A{{end}}{{block \"c\" .}}C{{end}}",
			   &opts, &t, &nt) == 0);
	REQUIRE(nt == 4);
	CHECK_STR(t[0]->name, "t");
	CHECK_STR(t[1]->name, "b");
	CHECK_STR(t[2]->name, "a");
	CHECK_STR(t[3]->name, "c");
	CHECK_STR(t[0]->parse_name, "t");
	CHECK_STR(t[2]->parse_name, "t");
	CHECK_STR(str_of(a, t[0]->root), "top{{template \"c\" .}}");
	CHECK_STR(str_of(a, t[3]->root), "C");
	CHECK(t[1]->text == t[0]->text);
	/* an empty body never replaces, a non-empty one replaces an empty one */
	REQUIRE(parse_with(a, "{{define \"x\"}} {{end}}{{define \"x\"}}X{{end}}{{define \"x\"}}{{/* */}}{{end}}",
			   &opts, &t, &nt) == 0);
	REQUIRE(nt == 2);
	CHECK_STR(t[1]->name, "x");
	CHECK_STR(str_of(a, t[1]->root), "X");
	CHECK(parse_with(a, "{{define \"x\"}}1{{end}}\n{{define \"x\"}}2{{end}}", &opts, &t, &nt) ==
	      ERR_INVALID);
	CHECK_STR(err_msg(), "template: t:2: template: multiple definition of template \"x\"");
	/* a define named as the template: the top-level text, if empty, gives way */
	REQUIRE(parse_with(a, " {{define \"t\"}}T{{end}}", &opts, &t, &nt) == 0);
	REQUIRE(nt == 1);
	CHECK_STR(str_of(a, t[0]->root), "T");
	/* empty input: one empty tree */
	REQUIRE(tparse(a, "empty", "", 0, &opts, &t, &nt) == 0);
	REQUIRE(nt == 1);
	CHECK_STR(t[0]->name, "empty");
	CHECK_INT(t[0]->root->type, TN_LIST);
	CHECK_INT(t[0]->root->u.list.len, 0);
	REQUIRE(tparse(a, "null", NULL, 0, &opts, &t, &nt) == 0);
	arena_free(a);
}

TEST(empty_tree)
{
	struct arena *a = arena_new();
	struct ttree **t;
	size_t nt;
	REQUIRE(parse_with(a, " \n\t{{/* c */}}\r\n\302\240\342\200\200", &opts, &t, &nt) == 0);
	CHECK(tnode_is_empty_tree(t[0]->root));
	REQUIRE(parse_with(a, " x ", &opts, &t, &nt) == 0);
	CHECK(!tnode_is_empty_tree(t[0]->root));
	REQUIRE(parse_with(a, "{{.}}", &opts, &t, &nt) == 0);
	CHECK(!tnode_is_empty_tree(t[0]->root));
	REQUIRE(parse_with(a, "{{if .}}{{end}}", &opts, &t, &nt) == 0);
	CHECK(!tnode_is_empty_tree(t[0]->root));
	CHECK(tnode_is_empty_tree(NULL));
	arena_free(a);
}

TEST(positions)
{
	struct arena *a = arena_new();
	struct ttree **t;
	size_t nt;
	REQUIRE(parse_with(a, "ab\n{{ .x }}\n\n  {{.y}}", &opts, &t, &nt) == 0);
	int line, col;
	ttree_position(t[0], 0, &line, &col);
	CHECK_INT(line, 1);
	CHECK_INT(col, 0);
	ttree_position(t[0], 2, &line, &col);
	CHECK_INT(line, 1);
	CHECK_INT(col, 2);
	const struct tnode *x = t[0]->root->u.list.items[1]; /* the action {{ .x }} */
	ttree_position(t[0], x->pos, &line, &col);
	CHECK_INT(line, 2);
	CHECK_INT(col, 3);
	const struct tnode *y = t[0]->root->u.list.items[3];
	ttree_position(t[0], y->pos, &line, &col);
	CHECK_INT(line, 4);
	CHECK_INT(col, 4);
	ttree_position(t[0], 1000, &line, &col); /* past the end: clamped */
	CHECK_INT(line, 4);
	arena_free(a);
}

TEST(strings_and_numbers)
{
	struct arena *a = arena_new();
	struct ttree **t;
	size_t nt;
	REQUIRE(parse_with(a, "{{\"a\\x00b\\u00e9\" 'x' 1e3 0x10}}", &opts, &t, &nt) == 0);
	const struct tnode *cmd = t[0]->root->u.list.items[0]->u.action.pipe->u.pipe.cmds.items[0];
	const struct tnode *s = cmd->u.cmd.args.items[0];
	CHECK_INT(s->type, TN_STRING);
	CHECK_INT(s->u.str.len, 5);
	CHECK(memcmp(s->u.str.text, "a\0b\303\251", 6) == 0);
	CHECK_STR(s->u.str.quoted, "\"a\\x00b\\u00e9\"");
	const struct tnode *c = cmd->u.cmd.args.items[1];
	CHECK(c->u.number->is_int && c->u.number->is_uint && c->u.number->is_float);
	CHECK_INT(c->u.number->i, 'x');
	CHECK_STR(c->u.number->text, "'x'");
	const struct tnode *e = cmd->u.cmd.args.items[2];
	CHECK(e->u.number->is_int && e->u.number->is_float && e->u.number->f == 1000);
	const struct tnode *h = cmd->u.cmd.args.items[3];
	CHECK(h->u.number->is_int && h->u.number->i == 16);
	arena_free(a);
}

static char *repeat(const char *pre, const char *mid, size_t n, const char *post, const char *close,
		    size_t m, const char *tail)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, pre);
	for (size_t i = 0; i < n; i++)
		buf_adds(&b, mid);
	buf_adds(&b, post);
	for (size_t i = 0; i < m; i++)
		buf_adds(&b, close);
	buf_adds(&b, tail);
	return buf_detach(&b, NULL);
}

TEST(depth_caps)
{
	struct arena *a = arena_new();
	struct ttree **t;
	size_t nt;
	char *s = repeat("{{", "(", 10000, "1", ")", 10000, "}}");
	CHECK(tparse(a, "t", s, strlen(s), &opts, &t, &nt) == 0);
	free(s);
	s = repeat("{{", "(", 10001, "1", ")", 10001, "}}");
	CHECK(tparse(a, "t", s, strlen(s), &opts, &t, &nt) == ERR_INVALID);
	CHECK_STR(err_msg(), "template: t:1: max expression depth exceeded");
	free(s);
	s = repeat("", "{{if 1}}", 9999, "", "{{end}}", 9999, "");
	CHECK(tparse(a, "t", s, strlen(s), &opts, &t, &nt) == 0);
	free(s);
	s = repeat("", "{{range .}}", 10001, "", "{{end}}", 10001, "");
	CHECK(tparse(a, "t", s, strlen(s), &opts, &t, &nt) == ERR_TOOBIG);
	CHECK_STR(err_msg(), "template: t:1: max nesting depth exceeded");
	free(s);
	s = repeat("{{if 1}}", "{{else if 1}}", 10001, "", "{{end}}", 1, "");
	CHECK(tparse(a, "t", s, strlen(s), &opts, &t, &nt) == ERR_TOOBIG);
	free(s);
	s = repeat("", "{{block \"b\" 1}}", 10001, "", "{{end}}", 10001, "");
	CHECK(tparse(a, "t", s, strlen(s), &opts, &t, &nt) == ERR_TOOBIG);
	free(s);
	/* unclosed: no crash, Go's message */
	s = repeat("", "{{with 1}}", 5000, "", "", 0, "");
	CHECK(tparse(a, "t", s, strlen(s), &opts, &t, &nt) == ERR_INVALID);
	CHECK_STR(err_msg(), "template: t:1: unexpected EOF");
	free(s);
	arena_free(a);
}

/* Many variables, uses and definitions: linear, not quadratic, time. */
TEST(large_inputs)
{
	struct arena *a = arena_new();
	struct ttree **t;
	size_t nt;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 50000; i++)
		buf_addf(&b, "{{$v%d := 1}}", i);
	for (int i = 0; i < 50000; i++)
		buf_adds(&b, "{{$v0}}");
	for (int i = 0; i < 50000; i++)
		buf_addf(&b, "{{define \"d%d\"}}x{{end}}", i);
	REQUIRE(tparse(a, "t", b.ptr, b.len, &opts, &t, &nt) == 0);
	CHECK_INT(nt, 50001);
	CHECK_INT(t[0]->root->u.list.len, 100000);
	buf_release(&b);
	arena_free(a);
}

int main(void)
{
	RUN(matches_go);
	RUN(custom_delimiters);
	RUN(comments_kept_on_request);
	RUN(function_check);
	RUN(tree_order_and_redefinition);
	RUN(empty_tree);
	RUN(positions);
	RUN(strings_and_numbers);
	RUN(depth_caps);
	RUN(large_inputs);
	return test_done();
}
