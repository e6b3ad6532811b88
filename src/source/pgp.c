#include "source/pgp.h"

#include <rnp/rnp.h>
#include <rnp/rnp_err.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "util/banned.h"

/* One ring: imports it into a fresh FFI (so keys of one ring never vouch for another, as in
 * Flux where each ring is checked alone) and checks sig. Returns 1 when a good signature was
 * made by a key of the ring, 0 when not, -1 when the ring cannot be read. */
static int verify_one(const char *ring, size_t ring_len, const char *sig, size_t siglen,
		      const char *data, size_t len, char keyid[17])
{
	rnp_ffi_t ffi = NULL;
	rnp_input_t keys = NULL, in_data = NULL, in_sig = NULL;
	rnp_op_verify_t op = NULL;
	int ret = 0;
	if (rnp_ffi_create(&ffi, "GPG", "GPG") != RNP_SUCCESS)
		return -1;
	if (rnp_input_from_memory(&keys, (const uint8_t *)ring, ring_len, false) != RNP_SUCCESS ||
	    rnp_import_keys(ffi, keys, RNP_LOAD_SAVE_PUBLIC_KEYS, NULL) != RNP_SUCCESS) {
		ret = -1;
		goto done;
	}
	if (rnp_input_from_memory(&in_data, (const uint8_t *)data, len, false) != RNP_SUCCESS ||
	    rnp_input_from_memory(&in_sig, (const uint8_t *)sig, siglen, false) != RNP_SUCCESS ||
	    rnp_op_verify_detached_create(&op, ffi, in_data, in_sig) != RNP_SUCCESS)
		goto done;
	/* execute fails when no signature is good; the per-signature status says which is */
	(void)rnp_op_verify_execute(op);
	size_t n = 0;
	if (rnp_op_verify_get_signature_count(op, &n) != RNP_SUCCESS)
		goto done;
	for (size_t i = 0; i < n && !ret; i++) {
		rnp_op_verify_signature_t s = NULL;
		rnp_key_handle_t key = NULL, primary = NULL;
		char *grip = NULL, *id = NULL;
		if (rnp_op_verify_get_signature_at(op, i, &s) != RNP_SUCCESS ||
		    rnp_op_verify_signature_get_status(s) != RNP_SUCCESS ||
		    rnp_op_verify_signature_get_key(s, &key) != RNP_SUCCESS || !key)
			continue;
		bool is_primary = true;
		rnp_key_is_primary(key, &is_primary);
		rnp_key_handle_t k = key;
		if (!is_primary && rnp_key_get_primary_grip(key, &grip) == RNP_SUCCESS && grip &&
		    rnp_locate_key(ffi, "grip", grip, &primary) == RNP_SUCCESS && primary)
			k = primary; /* Flux names the primary key even when a subkey signed */
		if (rnp_key_get_keyid(k, &id) == RNP_SUCCESS && id && strlen(id) == 16) {
			snprintf(keyid, 17, "%s", id);
			ret = 1;
		}
		rnp_buffer_destroy(id);
		rnp_buffer_destroy(grip);
		rnp_key_handle_destroy(primary);
		rnp_key_handle_destroy(key);
	}
done:
	rnp_op_verify_destroy(op);
	rnp_input_destroy(in_sig);
	rnp_input_destroy(in_data);
	rnp_input_destroy(keys);
	rnp_ffi_destroy(ffi);
	return ret;
}

int pgp_verify_detached(const char *const *rings, const size_t *ring_lens, size_t nrings,
			const char *sig, size_t siglen, const char *data, size_t len,
			char keyid[17])
{
	if (!siglen)
		return err_set(ERR_INVALID, "unable to verify payload as the provided signature is empty");
	bool attempted = false, unreadable = false;
	for (size_t i = 0; i < nrings; i++) {
		int r = verify_one(rings[i], ring_lens[i], sig, siglen, data, len, keyid);
		if (r == 1)
			return 0;
		if (r < 0)
			unreadable = true;
		else
			attempted = true;
	}
	if (!attempted && unreadable)
		return err_set(ERR_INVALID, "unable to read armored key ring: invalid key data");
	return err_set(ERR_INVALID, "unable to verify payload with any of the given key rings");
}
