/* JSON-lines and console log writer (see log.h). */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/json_escape.h"
#include "util/banned.h"

static enum log_level min_level = LOG_INFO;
static enum log_encoding encoding = LOG_JSON;

void log_setup(enum log_level min, enum log_encoding enc)
{
	min_level = min;
	encoding = enc;
}

int log_parse_level(const char *s, enum log_level *out)
{
	if (!strcmp(s, "debug") || !strcmp(s, "trace"))
		*out = LOG_DEBUG;
	else if (!strcmp(s, "info"))
		*out = LOG_INFO;
	else if (!strcmp(s, "error"))
		*out = LOG_ERROR;
	else
		return err_set(ERR_INVALID, "'%s': log level must be debug, info or error", s);
	return 0;
}

int log_parse_encoding(const char *s, enum log_encoding *out)
{
	if (!strcmp(s, "json"))
		*out = LOG_JSON;
	else if (!strcmp(s, "console"))
		*out = LOG_CONSOLE;
	else
		return err_set(ERR_INVALID, "'%s': log encoding must be json or console", s);
	return 0;
}

static const char *level_name(enum log_level l)
{
	return l == LOG_DEBUG ? "debug" : l == LOG_ERROR ? "error" : "info";
}

/* One line: the header, then each field, through add_field. */
static void write_line(enum log_level level, const char *msg, const char *const *kv, size_t n,
		       va_list *ap)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	gmtime_r(&tv.tv_sec, &tm);
	char day[32], ts[48];
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(ts, sizeof(ts), "%.20s.%03dZ", day, (int)(tv.tv_usec / 1000));

	struct buf b = BUF_INIT;
	if (encoding == LOG_JSON) {
		buf_addf(&b, "{\"level\":\"%s\",\"ts\":\"%s\",\"msg\":", level_name(level), ts);
		json_escape(&b, msg, strlen(msg));
	} else {
		buf_addf(&b, "%s\t%s\t%s", ts, level_name(level), msg);
	}
	for (size_t i = 0;; i++) {
		const char *k, *v;
		if (ap) {
			if (!(k = va_arg(*ap, const char *)))
				break;
			v = va_arg(*ap, const char *);
		} else {
			if (i >= n)
				break;
			k = kv[2 * i];
			v = kv[2 * i + 1];
		}
		if (!v)
			v = "";
		if (encoding == LOG_JSON) {
			buf_addch(&b, ',');
			json_escape(&b, k, strlen(k));
			buf_addch(&b, ':');
			json_escape(&b, v, strlen(v));
		} else {
			buf_addf(&b, "\t%s=%s", k, v);
		}
	}
	if (encoding == LOG_JSON)
		buf_addch(&b, '}');
	buf_addch(&b, '\n');
	ssize_t w = write(2, b.ptr, b.len);
	(void)w;
	buf_release(&b);
}

void log_msg(enum log_level level, const char *msg, ...)
{
	if (level < min_level)
		return;
	va_list ap;
	va_start(ap, msg);
	write_line(level, msg, NULL, 0, &ap);
	va_end(ap);
}

void log_fields(enum log_level level, const char *msg, const char *const *kv, size_t n)
{
	if (level < min_level)
		return;
	write_line(level, msg, kv, n, NULL);
}
