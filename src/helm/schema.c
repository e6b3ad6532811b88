/* placeholder */
#include "helm/values.h"
#include "util/error.h"
#include "util/banned.h"
int helm_values_validate(struct arena *a, const struct helm_chart *chart, const struct tv *values)
{
	(void)a; (void)chart; (void)values;
	return 0;
}
