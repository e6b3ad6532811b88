/* Events with Flux's metadata (see events.h). */
#include "controllers/common/events.h"

#include <stdarg.h>
#include <stddef.h>

#include "runtime/controller.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/banned.h"

void ctl_eventf(struct rt_reconcile *r, const struct ctl_event_meta *meta, const char *type,
		const char *reason, const char *fmt, ...)
{
	struct arena *a = rt_arena(r);
	const char *ann[7];
	size_t n = 0;
	if (meta) {
		const char *const keys[] = { "revision", "originRevision", "token" };
		const char *const vals[] = { meta->revision, meta->origin_revision, meta->token };
		for (size_t i = 0; i < 3; i++) {
			if (!vals[i])
				continue;
			ann[n++] = arena_sprintf(a, "%s/%s", meta->group, keys[i]);
			ann[n++] = vals[i];
		}
	}
	ann[n] = NULL;
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	rt_eventf(r, type, reason, n ? ann : NULL, "%s", msg.ptr);
	buf_release(&msg);
}
