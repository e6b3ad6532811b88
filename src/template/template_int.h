/*
 * The engine's shared internals: the execution state every function sees through struct
 * texec. exec.c owns execution and may add fields here; texec.c holds the accessors that
 * function libraries use, so sprig's parts and their unit tests need only this and
 * value.c. Module-internal: nothing outside src/template includes it, except unit tests.
 */
#ifndef TIDE_TEMPLATE_TEMPLATE_INT_H
#define TIDE_TEMPLATE_TEMPLATE_INT_H

#include "template/template.h"
#include "util/buf.h"

struct texec {
	struct arena *arena;   /* where every value of this execution lives */
	struct tset *set;      /* the running set; NULL in a standalone context */
	void *userdata;
	struct buf message;    /* the failing call's message (texec_fail) */
	int code;              /* its ERR_* code, 0 while none */
	size_t depth;          /* nested template/include/tpl calls */
	void *state;           /* exec.c's own state for the running execution */
	size_t max_value;      /* cap on one string a function builds (the set's output cap, as
				* a bigger string can never be printed); 0 = none. Functions that
				* build strings from their arguments (printf, repeat...) honour it
				* with ERR_TOOBIG. */
};

/* A context with no set, for calling function implementations directly (unit tests, and
 * helpers that evaluate outside a template). Release with texec_release. */
void texec_init_standalone(struct texec *x, struct arena *a, void *userdata);
void texec_release(struct texec *x);
/* The message of the last texec_fail ("" when none). */
const char *texec_message(const struct texec *x);

#endif
