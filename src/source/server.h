/*
 * A small HTTP file server for artifacts (--storage-addr): GET and HEAD of regular files under
 * the storage root, at the URLs written in status ("/gitrepository/<ns>/<name>/<file>").
 * Paths with ".." or empty components, symlinks leading outside the root, directories and
 * anything else answer 404; other methods answer 405. Used until the runtime's HTTP server
 * can serve files.
 */
#ifndef TIDE_SOURCE_SERVER_H
#define TIDE_SOURCE_SERVER_H

typedef struct source_server source_server;

/* Starts serving root on addr ("host:port"; port 0 picks a free one) in background threads.
 * Returns 0 and *out (stop with source_server_stop), or an error. */
int source_server_start(const char *root, const char *addr, source_server **out);

/* The port actually bound. */
int source_server_port(const source_server *s);

void source_server_stop(source_server *s);

#endif
