/*
 * API errors: a failed response's metav1.Status turned into a tide error code and message.
 * Internal to the kube module (exposed for its tests).
 *
 *   404 / NotFound                       -> ERR_NOTFOUND
 *   409 / AlreadyExists, Conflict        -> ERR_CONFLICT
 *   410 / Gone, Expired                  -> ERR_GONE
 *   400, 422 / BadRequest, Invalid       -> ERR_INVALID
 *   401, 403 / Unauthorized, Forbidden   -> ERR_AUTH
 *   408, 504 / Timeout, ServerTimeout    -> ERR_TIMEOUT
 *   413 / RequestEntityTooLarge          -> ERR_TOOBIG
 *   429, 5xx / TooManyRequests, ...      -> ERR_UNAVAIL
 *   405, 406, 415, 501                   -> ERR_UNSUPPORTED
 */
#ifndef TIDE_KUBE_STATUS_H
#define TIDE_KUBE_STATUS_H

#include <stddef.h>

/* The error code for an HTTP status and a Status reason (reason may be NULL or ""). */
int kube_status_code(long http_status, const char *reason);

/* Sets the thread's error from a response and returns its code. The message is the
 * Status's message when the body is a Status; otherwise a line naming the HTTP status and
 * what (e.g. "GET https://.../api/v1/pods"). */
int kube_status_error(long http_status, const char *body, size_t len, const char *what);

/* The same for a Status object already parsed (a watch ERROR event). */
struct doc_node;
int kube_status_from_doc(long http_status, const struct doc_node *status, const char *what);

#endif
