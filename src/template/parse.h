/*
 * The parse trees of Go's text/template (text/template/parse), as plain C: the contract
 * between the lexer and parser (lex.c, parse.c) and the evaluator (exec.c). One node type
 * per Go node type, with Go's fields; a node's pos is its byte offset in the parsed text,
 * from which errors compute Go's LINE:COL, and tnode_string() prints a node as Go's
 * String() methods do (exec errors quote it: `executing "x" at <.Values.a>`).
 *
 * Everything lives in the arena given to tparse(); nothing here frees. Module-internal.
 */
#ifndef TIDE_TEMPLATE_PARSE_H
#define TIDE_TEMPLATE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;

enum tnode_type {
	TN_TEXT,       /* plain text */
	TN_ACTION,     /* {{pipeline}}: u.action.pipe */
	TN_BOOL,       /* true, false */
	TN_CHAIN,      /* (pipeline).Field.Field, or a nil/literal followed by fields */
	TN_COMMAND,    /* one element of a pipeline: u.cmd.args */
	TN_DOT,        /* . */
	TN_FIELD,      /* .A.B: u.field.ident = {"A", "B"} */
	TN_IDENTIFIER, /* a function name */
	TN_IF,
	TN_LIST,       /* a sequence of nodes */
	TN_NIL,        /* the untyped nil constant */
	TN_NUMBER,
	TN_PIPE,       /* $x := a | b c */
	TN_RANGE,
	TN_STRING,
	TN_TEMPLATE,   /* {{template "name" pipeline}} */
	TN_VARIABLE,   /* $x.A.B: u.var.ident = {"$x", "A", "B"} */
	TN_WITH,
	TN_COMMENT,    /* a comment action: kept only when the parser was asked to */
	TN_BREAK,
	TN_CONTINUE,
};

struct tnode;

struct tnode_list {
	struct tnode **items;
	size_t len;
};

struct tident {
	const char **items; /* NUL-terminated names */
	size_t len;
};

/* if, range and with share Go's BranchNode. */
struct tbranch {
	struct tnode *pipe;      /* TN_PIPE */
	struct tnode *list;      /* TN_LIST: what runs when the pipeline is true / not empty */
	struct tnode *else_list; /* TN_LIST, or NULL; `else if` is an else list holding one TN_IF */
};

/* A number constant: what it can be, and its values as each. */
struct tnumber {
	bool is_int, is_uint, is_float, is_complex; /* what the constant can be */
	int64_t i;
	uint64_t u;
	double f;
	const char *text;      /* as written */
};

/* 40 bytes: a chart's templates make hundreds of thousands of them. */
struct tnode {
	uint8_t type;          /* enum tnode_type */
	bool is_assign;        /* TN_PIPE: `=` rather than `:=` */
	uint32_t pos;          /* byte offset of the node in the parsed text (texts are capped far below 4 GiB) */
	union {
		struct {
			const char *text; /* after {{- / -}} trimming; not NUL-terminated */
			size_t len;
		} text;
		struct {
			struct tnode *pipe;
		} action;
		bool b;                    /* TN_BOOL */
		struct {
			struct tnode *node;    /* the operand: TN_PIPE, TN_NIL, TN_DOT, a literal ... */
			struct tident field;   /* the field names after it */
		} chain;
		struct {
			struct tnode_list args; /* operands: identifiers, fields, literals, pipes ... */
		} cmd;
		struct tident field;       /* TN_FIELD */
		const char *ident;         /* TN_IDENTIFIER: the function name */
		struct tnode_list list;    /* TN_LIST */
		struct tnumber *number;    /* TN_NUMBER (out of line: numbers are few) */
		struct {
			/* TN_VARIABLE nodes declared or assigned; NULL when none (most pipes:
			 * out of line, so a node is 32 bytes, not 40) */
			struct tnode_list *decl;
			struct tnode_list cmds; /* TN_COMMAND nodes */
		} pipe;
		struct tbranch branch;     /* TN_IF, TN_RANGE, TN_WITH */
		struct {
			const char *quoted;    /* as written, with quotes */
			const char *text;      /* unquoted; NUL-terminated, may hold NUL bytes */
			size_t len;
		} str;
		struct {
			const char *name;      /* the template's name (unquoted) */
			struct tnode *pipe;    /* TN_PIPE, or NULL */
		} tmpl;
		struct tident var;         /* TN_VARIABLE */
		struct {
			const char *text;      /* the whole comment, with its delimiters */
		} comment;
	} u;
};

/* The variables a TN_PIPE declares or assigns, and the i-th of them. */
static inline size_t tpipe_ndecl(const struct tnode *pipe)
{
	return pipe->u.pipe.decl ? pipe->u.pipe.decl->len : 0;
}

static inline struct tnode *tpipe_decl(const struct tnode *pipe, size_t i)
{
	return pipe->u.pipe.decl->items[i];
}

/* One template: the top-level text or a {{define}}/{{block}} in it. */
struct ttree {
	const char *name;       /* the template's name */
	const char *parse_name; /* the top-level template's name (Go's ParseName): error prefix */
	const char *text;       /* the whole text that was parsed, for LINE:COL of errors */
	size_t text_len;
	struct tnode *root;     /* TN_LIST */
};

struct tparse_opts {
	const char *left_delim;  /* NULL = "{{" */
	const char *right_delim; /* NULL = "}}" */
	/* Whether a function of this name exists (Go checks at parse time: `function "x" not
	 * defined`). NULL skips the check (Go's SkipFuncCheck). */
	bool (*has_func)(void *ud, const char *name);
	void *ud;
	bool keep_comments;      /* Go's ParseComments mode */
};

/*
 * Go's parse.Parse(name, text, ...): the tree of name (always first in *out, even when
 * empty) followed by one tree per define/block, in the order they appear. On a syntax error
 * returns ERR_INVALID with Go's message in err ("template: NAME:LINE: unexpected \"}\" in
 * operand"), and the error is also set with err_set. A define of a name already defined in
 * the same text is Go's "template: multiple definition of template %q" only when both
 * bodies are non-empty (parse.IsEmptyTree), as Go's parser does. Caps: nesting of
 * parentheses and control structures (10,000 as Go's maxStackDepth / maxParenDepth).
 */
int tparse(struct arena *a, const char *name, const char *text, size_t len,
	   const struct tparse_opts *opts, struct ttree ***out, size_t *nout);

/* Go's parse.IsEmptyTree: only space text and comments. */
bool tnode_is_empty_tree(const struct tnode *n);

/* Appends n as Go's Node.String() prints it ({{if .a}}x{{else}}y{{end}}, .A.B, "str" ...). */
void tnode_string(struct buf *out, const struct tnode *n);

/* LINE:COL of byte offset pos in t's text as Go's ErrorContext counts them: the line from
 * 1, the column in bytes since the start of that line from 0 (Go's "x:1:5" is the sixth
 * byte). */
void ttree_position(const struct ttree *t, size_t pos, int *line, int *col);

#endif
