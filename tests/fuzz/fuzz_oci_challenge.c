/*
 * libFuzzer target: the WWW-Authenticate header of a registry's 401 (untrusted). Nothing may
 * crash; the result is 0 or a documented error; a parsed challenge is Basic or Bearer, a
 * Bearer one has a realm, and every value is NUL-terminated within its field.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source/oci_auth.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > OCI_CHALLENGE_MAX + 16)
		return 0;
	struct oci_challenge c;
	int rc = oci_challenge_parse(&c, (const char *)data, size);
	if (rc && rc != ERR_INVALID && rc != ERR_UNSUPPORTED && rc != ERR_TOOBIG)
		abort();
	if (!rc) {
		if (c.scheme != OCI_AUTH_BASIC && c.scheme != OCI_AUTH_BEARER)
			abort();
		if (c.scheme == OCI_AUTH_BEARER && !c.realm[0])
			abort();
		if (strlen(c.realm) > OCI_REALM_MAX || strlen(c.service) > OCI_SERVICE_MAX ||
		    strlen(c.scope) > OCI_SCOPE_MAX)
			abort();
		for (const char *p = c.realm; *p; p++)
			if ((unsigned char)*p < 0x20)
				abort();
	}
	return 0;
}
