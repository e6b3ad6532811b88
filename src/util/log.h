/*
 * Structured logging, shaped like Flux's controllers' logs: one JSON object per line on
 * stderr, {"level":"info","ts":"2026-...Z","msg":"...", <fields>}, or a human "console"
 * encoding. Fields are key/value string pairs ending with NULL:
 *
 *   log_info("reconciliation finished", "kind", "GitRepository", "name", name, NULL);
 *
 * Thread-safe: each line is written with one write(2).
 */
#ifndef TIDE_UTIL_LOG_H
#define TIDE_UTIL_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_ERROR };
enum log_encoding { LOG_JSON, LOG_CONSOLE };

void log_setup(enum log_level min, enum log_encoding enc);
/* Parses "debug|info|error" and "json|console"; ERR_INVALID with a message otherwise. */
int log_parse_level(const char *s, enum log_level *out);
int log_parse_encoding(const char *s, enum log_encoding *out);

void log_msg(enum log_level level, const char *msg, ...) __attribute__((sentinel));
/* The same with the fields as an array of n key, value pairs (kv[2*i], kv[2*i+1]), for
 * callers that add their own fields to a caller's (the runtime's per-reconcile fields). */
void log_fields(enum log_level level, const char *msg, const char *const *kv, size_t n);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
