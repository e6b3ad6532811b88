/*
 * sprig's function library as Helm registers it, in parts by theme so each file owns one
 * family (strings, lists, dicts, math, conversions, encodings and hashes, crypto, semver,
 * dates). tset_add_sprig() adds them all in sprig's order; template.h's tfuncs_sprig is
 * not used by callers that go through here. Module-internal.
 */
#ifndef TIDE_TEMPLATE_SPRIG_H
#define TIDE_TEMPLATE_SPRIG_H

#include "template/template.h"

extern const struct tfunc_table tfuncs_sprig_strings; /* sprig_strings.c: strings, regex */
extern const struct tfunc_table tfuncs_sprig_lists;   /* sprig_lists.c */
extern const struct tfunc_table tfuncs_sprig_dicts;   /* sprig_dicts.c: dict, merge, dig, ... */
extern const struct tfunc_table tfuncs_sprig_math;    /* sprig_math.c: ints and floats */
extern const struct tfunc_table tfuncs_sprig_conv;    /* sprig_conv.c: toString, atoi, default, empty, ternary, typeOf ... */
extern const struct tfunc_table tfuncs_sprig_encoding; /* sprig_encoding.c: b64, b32, hashes, uuid, random */
extern const struct tfunc_table tfuncs_sprig_crypto;  /* sprig_crypto.c: bcrypt, htpasswd, keys, certs, AES */
extern const struct tfunc_table tfuncs_sprig_semver;  /* sprig_semver.c */
extern const struct tfunc_table tfuncs_sprig_date;    /* sprig_date.c */

#endif
