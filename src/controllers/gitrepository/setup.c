/*
 * The GitRepository controller's per-process state: the artifact storage under
 * --storage-path (Flux's retention flags) and its file server on --storage-addr, and the
 * address written into artifact URLs (--storage-adv-addr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "controllers/gitrepository/gitrepository.h"
#include "runtime/http.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

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
	const struct rt_manager_opts *o = rt_manager_opts(m);
	const char *path = o->storage_path && *o->storage_path ? o->storage_path : "/data";
	const char *addr = o->storage_addr && *o->storage_addr ? o->storage_addr : ":9090";
	struct storage_opts so = { o->artifact_retention_ttl_ms, o->artifact_retention_records };
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
	ctl->adv_addr = advertised_addr(addr, o->storage_adv_addr, rt_http_port(ctl->server));
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
