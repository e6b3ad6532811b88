/*
 * The GitRepository controller's settings and per-process state: source-controller's
 * storage flags (registered from the kinds table, controllers/table.c), the artifact
 * storage under --storage-path with Flux's retention, its file server on --storage-addr,
 * and the address written into artifact URLs (--storage-adv-addr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "controllers/common/options.h"
#include "controllers/gitrepository/gitrepository.h"
#include "runtime/http.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

static struct {
	const char *storage_path, *storage_addr, *storage_adv_addr;
	int64_t retention_ttl_ms;
	long retention_records;
} settings = { "/data", ":9090", "", 60000, 2 };

static const struct ctl_option flags[] = {
	{ "storage-path", CTL_OPT_STRING, &settings.storage_path, "The local storage path.", "/data" },
	{ "storage-addr", CTL_OPT_STRING, &settings.storage_addr, "The address the static file server binds to.", ":9090" },
	{ "storage-adv-addr", CTL_OPT_STRING, &settings.storage_adv_addr,
	  "The advertised address of the static file server.", NULL },
	{ "artifact-retention-ttl", CTL_OPT_DURATION, &settings.retention_ttl_ms,
	  "The duration of time that artifacts from previous reconciliations will be kept in storage before being garbage collected.",
	  "1m0s" },
	{ "artifact-retention-records", CTL_OPT_INT, &settings.retention_records,
	  "The maximum number of artifacts to be kept in storage after a garbage collection.", "2" },
	{ 0 },
};

const struct ctl_options gitrepository_options = { flags, NULL };

/* Flux's default advertised address: the storage address, with this host's name when the
 * host part is empty (":9090"). */
static char *advertised_addr(const char *storage_addr, const char *adv, int port)
{
	if (adv && *adv)
		return xstrdup(adv);
	const char *colon = strrchr(storage_addr, ':');
	size_t hostlen = colon ? (size_t)(colon - storage_addr) : 0;
	char host[256] = "localhost";
	if (hostlen && hostlen < sizeof(host) && strncmp(storage_addr, "0.0.0.0", hostlen)) {
		memcpy(host, storage_addr, hostlen);
		host[hostlen] = '\0';
	} else if (gethostname(host, sizeof(host)) != 0) {
		snprintf(host, sizeof(host), "localhost");
	}
	return xasprintf("%s:%d", host, port);
}

int gitrepo_setup(struct rt_manager *m, void **data)
{
	(void)m;
	const char *path = *settings.storage_path ? settings.storage_path : "/data";
	const char *addr = *settings.storage_addr ? settings.storage_addr : ":9090";
	struct storage_opts so = { settings.retention_ttl_ms, (int)settings.retention_records };
	struct gitrepo_ctl *ctl = xcalloc(1, sizeof(*ctl));
	int rc = storage_open(&ctl->st, path, &so);
	if (!rc)
		rc = rt_http_new(&ctl->server, addr);
	if (!rc)
		rc = storage_serve(ctl->st, ctl->server);
	if (!rc)
		rc = rt_http_start(ctl->server);
	if (rc) {
		rt_http_free(ctl->server);
		storage_free(ctl->st);
		free(ctl);
		return rc;
	}
	ctl->adv_addr = advertised_addr(addr, settings.storage_adv_addr, rt_http_port(ctl->server));
	*data = ctl;
	return 0;
}

void gitrepo_teardown(void *data)
{
	struct gitrepo_ctl *ctl = data;
	if (!ctl)
		return;
	rt_http_free(ctl->server); /* no download in flight past this */
	storage_free(ctl->st);
	free(ctl->adv_addr);
	free(ctl);
}
