/*
 * Flux's post-build variable substitution (kustomize-controller spec.postBuild): bash-like
 * ${...} expressions, as fluxcd/pkg/envsubst evaluates them, applied to every built object
 * unless the object opts out with the label or annotation
 * kustomize.toolkit.fluxcd.io/substitute: disabled.
 *
 *   struct varsub_var v[] = { { "cluster_env", "prod" } };
 *   struct varsub_vars vars = { v, 1, false };
 *   if (varsub_object(a, obj, &vars, &obj)) fprintf(stderr, "%s\n", err_msg());
 *
 * Forms: ${var}, ${var=d} ${var:=d} ${var-d} ${var:-d} (default), ${var+a} ${var:+a}
 * (alternative), ${#var} (length), ${var:pos} ${var:pos:len} (substring), ${var/a/b}
 * ${var//a/b} ${var/#a/b} ${var/%a/b} (replace; literal patterns), ${var#p} ${var##p}
 * ${var%s} ${var%%s} (trim a literal prefix/suffix), ${var^} ${var^^} ${var,} ${var,,}
 * (case). Defaults and alternatives may contain nested expressions. "$$" is a literal "$"
 * (so "$${var}" prints "${var}"); a "$" not followed by "{" or "$" is kept as is, so
 * shell-style $var is never substituted. Undefined variables become "" unless strict.
 */
#ifndef TIDE_KUSTOMIZE_VARSUB_H
#define TIDE_KUSTOMIZE_VARSUB_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;
struct doc_node;

struct varsub_var {
	const char *name, *value;
};

/* Lookups scan from the end, so a later entry overrides an earlier one with the same name
 * (Flux: substituteFrom in order, then the in-line substitute map on top). */
struct varsub_vars {
	const struct varsub_var *v;
	size_t len;
	/* Flux's StrictPostBuildSubstitutions feature gate: a variable that is not defined and
	 * has no default is an error instead of "". */
	bool strict;
	/* The most bytes one object's substituted text may have; 0 = VARSUB_MAX_OUTPUT. */
	size_t max_output;
};

/* The default cap of one object's substituted text: the YAML reader's input cap. */
#define VARSUB_MAX_OUTPUT ((size_t)64 << 20)

/* True if name matches ^[_[:alpha:]][_[:alpha:][:digit:]]*$, the names Flux accepts. */
bool varsub_valid_name(const char *name);

/* Evaluates the expressions in in[0..len), appending the result to out. ERR_INVALID on a
 * malformed expression (unclosed "${", bad substring offsets, strict-mode undefined
 * variable) with a one-line message. ERR_TOOBIG as soon as out's cap (out->max) is passed,
 * or if out already carried its sticky error. */
int varsub_eval(const char *in, size_t len, const struct varsub_vars *vars, struct buf *out);

/* True if obj carries kustomize.toolkit.fluxcd.io/substitute: disabled as a label or an
 * annotation. */
bool varsub_disabled(const struct doc_node *obj);

/* Substitutes inside one object: it is written as YAML, evaluated, and parsed back into a
 * new tree in a (*out; obj itself is not changed). An opted-out object is returned as is.
 * Errors: those of varsub_eval (ERR_TOOBIG past vars->max_output), and ERR_INVALID if the result is not exactly one YAML
 * object (the message names the object's kind/namespace/name). */
int varsub_object(struct arena *a, struct doc_node *obj, const struct varsub_vars *vars,
		  struct doc_node **out);

#endif
