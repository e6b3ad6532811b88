/*
 * The accessors of struct texec that function libraries use (template.h's "for function
 * implementations"): the arena, the user data and failure reporting. Execution itself,
 * include and tpl are exec.c's.
 */
#include "template/template_int.h"

#include <stdarg.h>

#include "util/error.h"
#include "util/banned.h"

struct arena *texec_arena(struct texec *x)
{
	return x->arena;
}

struct tset *texec_set(struct texec *x)
{
	return x->set;
}

void *texec_userdata(struct texec *x)
{
	return x->userdata;
}

__attribute__((format(printf, 3, 0)))
static int vfail(struct texec *x, int code, const char *fmt, va_list ap)
{
	buf_reset(&x->message);
	buf_vaddf(&x->message, fmt, ap);
	x->code = code;
	return code;
}

int texec_fail(struct texec *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vfail(x, ERR_INVALID, fmt, ap);
	va_end(ap);
	return rc;
}

int texec_failc(struct texec *x, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vfail(x, code, fmt, ap);
	va_end(ap);
	return rc;
}

void texec_init_standalone(struct texec *x, struct arena *a, void *userdata)
{
	*x = (struct texec){ .arena = a, .userdata = userdata, .message = BUF_INIT };
}

void texec_release(struct texec *x)
{
	buf_release(&x->message);
}

const char *texec_message(const struct texec *x)
{
	return x->message.ptr;
}
