/*
 * libFuzzer target: the host[:port] part of an ssh:// URL given to `tide create secret git`
 * and `create source git` (user input), turned into its known_hosts name. Nothing may crash;
 * a name that is accepted is never empty and never longer than its buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "source/sshscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *address = fuzz_string(data, size, 1024);
	if (!address)
		return 0;
	char name[300];
	if (ssh_known_hosts_name(name, sizeof(name), address) == 0 && (!name[0] || strlen(name) >= sizeof(name)))
		abort();
	free(address);
	return 0;
}
