/*
 * libFuzzer target: known_hosts text (the `known_hosts` key of a user's Git secret). The input
 * is the file; it is checked for two hosts and a fixed ed25519 key. Nothing may crash, and the
 * result is 0 or one of the documented errors.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "source/knownhosts.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char key[51] = {
	0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1', '9', 0, 0, 0, 32,
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
	25, 26, 27, 28, 29, 30, 31, 32};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 16384)
		return 0;
	int a = knownhosts_check((const char *)data, size, "github.com", 22, key, sizeof(key));
	int b = knownhosts_check((const char *)data, size, "127.0.0.1", 2222, key, sizeof(key));
	int c = knownhosts_check((const char *)data, size, "h", 22, key, 3); /* a truncated blob */
	if ((a && a != ERR_AUTH && a != ERR_INVALID) || (b && b != ERR_AUTH && b != ERR_INVALID) ||
	    (c && c != ERR_AUTH && c != ERR_INVALID))
		abort();
	return 0;
}
