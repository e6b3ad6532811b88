/* Status -> error mapping for API responses (see status.h). The reasons are metav1's
 * StatusReason values; the message is the server's own, as kubectl prints it. */
#include "kube/status.h"

#include <stdint.h>
#include <string.h>

#include "doc/doc.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

struct reason_map {
	const char *reason;
	int code;
};

static const struct reason_map reasons[] = {
	{ "NotFound", ERR_NOTFOUND },
	{ "AlreadyExists", ERR_CONFLICT },
	{ "Conflict", ERR_CONFLICT },
	{ "Gone", ERR_GONE },
	{ "Expired", ERR_GONE },
	{ "Invalid", ERR_INVALID },
	{ "BadRequest", ERR_INVALID },
	{ "Unauthorized", ERR_AUTH },
	{ "Forbidden", ERR_AUTH },
	{ "Timeout", ERR_TIMEOUT },
	{ "ServerTimeout", ERR_TIMEOUT },
	{ "RequestEntityTooLarge", ERR_TOOBIG },
	{ "TooManyRequests", ERR_UNAVAIL },
	{ "ServiceUnavailable", ERR_UNAVAIL },
	{ "InternalError", ERR_UNAVAIL },
	{ "MethodNotAllowed", ERR_UNSUPPORTED },
	{ "NotAcceptable", ERR_UNSUPPORTED },
	{ "UnsupportedMediaType", ERR_UNSUPPORTED },
};

int kube_status_code(long http_status, const char *reason)
{
	if (reason && *reason)
		for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
			if (strcmp(reasons[i].reason, reason) == 0)
				return reasons[i].code;
	switch (http_status) {
	case 400: case 422: return ERR_INVALID;
	case 401: case 403: return ERR_AUTH;
	case 404: return ERR_NOTFOUND;
	case 409: return ERR_CONFLICT;
	case 410: return ERR_GONE;
	case 408: case 504: return ERR_TIMEOUT;
	case 413: return ERR_TOOBIG;
	case 405: case 406: case 415: case 501: return ERR_UNSUPPORTED;
	case 429: return ERR_UNAVAIL;
	default: break;
	}
	if (http_status >= 500)
		return ERR_UNAVAIL;
	return ERR_GENERIC;
}

/* kubectl's wording when the server sent no message (apimachinery's errors.go). */
static const char *default_message(long http_status)
{
	switch (http_status) {
	case 400: return "the server rejected our request for an unknown reason";
	case 401: return "Unauthorized";
	case 403: return "the server does not allow access to the requested resource";
	case 404: return "the server could not find the requested resource";
	case 405: return "the server does not allow this method on the requested resource";
	case 409: return "the server reported a conflict";
	case 410: return "the resource version is too old";
	case 413: return "the request is too large";
	case 422: return "the server rejected our request due to an error in our request";
	case 429: return "the server has received too many requests and has asked us to try "
			 "again later";
	case 500: return "an error on the server has prevented the request from succeeding";
	case 503: return "the server is currently unable to handle the request";
	case 504: return "the server was unable to return a response in the time allotted";
	default: return NULL;
	}
}

int kube_status_from_doc(long http_status, const struct doc_node *st, const char *what)
{
	const char *reason = doc_get_str(st, "reason");
	const char *msg = doc_get_str(st, "message");
	const struct doc_node *codenode = doc_get(st, "code");
	int64_t c;
	if (codenode && doc_int64(codenode, &c) == 0 && c > 0 && c < 1000)
		http_status = (long)c;
	int code = kube_status_code(http_status, reason);
	if (msg && *msg)
		return err_set(code, "%s", msg);
	const char *dm = default_message(http_status);
	if (dm)
		return err_set(code, "%s", dm);
	return err_set(code, "unexpected HTTP status %ld from %s", http_status, what);
}

int kube_status_error(long http_status, const char *body, size_t len, const char *what)
{
	struct arena *a = arena_new();
	struct doc_node *st = NULL;
	int rc;
	if (len > 0 && body[0] == '{' &&
	    doc_parse_json(a, "response", body, len, NULL, &st) == 0 && st &&
	    st->kind == DOC_MAP && doc_get_str(st, "kind") &&
	    strcmp(doc_get_str(st, "kind"), "Status") == 0) {
		rc = kube_status_from_doc(http_status, st, what);
	} else {
		int code = kube_status_code(http_status, NULL);
		const char *dm = default_message(http_status);
		size_t n = len;
		while (n > 0 && (body[n - 1] == '\n' || body[n - 1] == ' '))
			n--;
		if (n > 200)
			n = 200;
		if (n > 0 && !memchr(body, '\n', n) && body[0] != '{' && body[0] != '<')
			rc = err_set(code, "%.*s (HTTP %ld from %s)", (int)n, body, http_status,
				     what);
		else if (dm)
			rc = err_set(code, "%s (HTTP %ld from %s)", dm, http_status, what);
		else
			rc = err_set(code, "unexpected HTTP status %ld from %s", http_status, what);
	}
	arena_free(a);
	return rc;
}
