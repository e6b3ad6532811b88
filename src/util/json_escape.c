/* JSON string escaping with UTF-8 validation (see json_escape.h). */
#include "util/json_escape.h"

#include "util/buf.h"
#include "util/utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include "util/banned.h"

static void escape(struct buf *b, const char *s, size_t n, bool go)
{
	static const char hex[] = "0123456789abcdef";
	buf_addch(b, '"');
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			switch (c) {
			case '"': buf_add(b, "\\\"", 2); break;
			case '\\': buf_add(b, "\\\\", 2); break;
			case '\n': buf_add(b, "\\n", 2); break;
			case '\r': buf_add(b, "\\r", 2); break;
			case '\t': buf_add(b, "\\t", 2); break;
			case '\b': buf_add(b, "\\b", 2); break;
			case '\f': buf_add(b, "\\f", 2); break;
			default:
				if (c < 0x20 || (go && (c == '<' || c == '>' || c == '&'))) {
					char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
					buf_add(b, e, 6);
				} else {
					buf_addch(b, (char)c);
				}
			}
			i++;
			continue;
		}
		size_t len = utf8_valid_prefix(s + i, n - i);
		if (len) {
			uint32_t cp = go ? utf8_decode(s + i, len) : 0;
			if (cp == 0x2028 || cp == 0x2029)
				buf_add(b, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
			else
				buf_add(b, s + i, len);
			i += len;
		} else {
			if (go)
				buf_add(b, "\\ufffd", 6);
			else
				buf_add(b, "\xef\xbf\xbd", 3);
			i++;
		}
	}
	buf_addch(b, '"');
}

void json_escape(struct buf *b, const char *s, size_t n)
{
	escape(b, s, n, false);
}

void json_escape_go(struct buf *b, const char *s, size_t n)
{
	escape(b, s, n, true);
}
