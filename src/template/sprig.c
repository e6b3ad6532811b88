/*
 * sprig's library as one call: the parts of sprig.h added in the order sprig's
 * GenericFuncMap builds its map, so a name two parts define resolves as sprig's does.
 */
#include "template/sprig.h"

#include "util/banned.h"

void tset_add_sprig(struct tset *s)
{
	tset_add_funcs(s, &tfuncs_sprig_strings);
	tset_add_funcs(s, &tfuncs_sprig_lists);
	tset_add_funcs(s, &tfuncs_sprig_dicts);
	tset_add_funcs(s, &tfuncs_sprig_math);
	tset_add_funcs(s, &tfuncs_sprig_conv);
	tset_add_funcs(s, &tfuncs_sprig_encoding);
	tset_add_funcs(s, &tfuncs_sprig_crypto);
	tset_add_funcs(s, &tfuncs_sprig_semver);
	tset_add_funcs(s, &tfuncs_sprig_date);
}
