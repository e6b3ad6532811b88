/*
 * `tide create source bucket NAME`, as flux2's cmd/flux/create_source_bucket.go: a Bucket
 * (source.toolkit.fluxcd.io/v1) with --bucket-name, --endpoint, --provider, --region,
 * --insecure; --access-key/--secret-key become a Secret "bucket-NAME" (stringData accesskey
 * and secretkey) referenced by the Bucket unless --secret-ref names one; then the Bucket is
 * upserted and waited for until it has an artifact. --export prints the Bucket only.
 */
#include <stdio.h>
#include <string.h>

#include "cli/connect.h"
#include "cli/create.h"
#include "cli/flags.h"
#include "cli/wait.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "util/clock.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

static const char *const providers[] = { "generic", "aws", "azure", "gcp" };

/* --access-key and --secret-key, stored in the Secret "bucket-NAME". */
struct keys {
	const struct create_common *cc;
	const char *name, *access_key, *secret_key;
};

static int apply_keys(void *ud, struct kube_client *c, struct arena *a, struct doc_node *obj)
{
	const struct keys *k = ud;
	const char *secret_name = arena_sprintf(a, "bucket-%s", k->name);
	struct doc_node *sec;
	int rc = create_new_object(&sec, a, k->cc, "v1", "Secret", secret_name);
	if (rc)
		return rc;
	struct doc_node *data = doc_new_map(a);
	doc_map_set(a, data, "accesskey", create_str(a, k->access_key));
	doc_map_set(a, data, "secretkey", create_str(a, k->secret_key));
	doc_map_set(a, sec, "stringData", data);
	fprintf(stderr, "► applying secret with the bucket credentials\n");
	if ((rc = create_apply_secret(c, a, sec)))
		return rc;
	doc_set(a, obj, "spec.secretRef", create_name_ref(a, secret_name));
	fprintf(stderr, "✔ authentication configured\n");
	return 0;
}

int create_source_bucket(int argc, char **argv)
{
	struct create_common cc = { 0 };
	const char *bucket = NULL, *endpoint = NULL, *access_key = NULL, *secret_key = NULL, *region = NULL;
	const char *secret_ref = NULL, *proxy_secret_ref = NULL, *provider = "generic";
	bool insecure = false;
	int64_t fetch_timeout_ms = 0;
	struct cli_strings ignore_paths = { 0 };
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 16];
	size_t n = create_common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "provider", 0, FLAG_STRING, &provider, "the S3 compatible storage provider name (generic|aws|azure|gcp)", "generic" };
	f[n++] = (struct cli_flag){ "bucket-name", 0, FLAG_STRING, &bucket, "the bucket name", NULL };
	f[n++] = (struct cli_flag){ "endpoint", 0, FLAG_STRING, &endpoint, "the bucket endpoint address", NULL };
	f[n++] = (struct cli_flag){ "access-key", 0, FLAG_STRING, &access_key, "the bucket access key", NULL };
	f[n++] = (struct cli_flag){ "secret-key", 0, FLAG_STRING, &secret_key, "the bucket secret key", NULL };
	f[n++] = (struct cli_flag){ "region", 0, FLAG_STRING, &region, "the bucket region", NULL };
	f[n++] = (struct cli_flag){ "insecure", 0, FLAG_BOOL, &insecure, "for when connecting to a non-TLS S3 HTTP endpoint", "false" };
	f[n++] = (struct cli_flag){ "secret-ref", 0, FLAG_STRING, &secret_ref, "the name of an existing secret containing credentials", NULL };
	f[n++] = (struct cli_flag){ "proxy-secret-ref", 0, FLAG_STRING, &proxy_secret_ref,
				    "the name of an existing secret containing the proxy address and credentials", NULL };
	f[n++] = (struct cli_flag){ "ignore-paths", 0, FLAG_STRINGS, &ignore_paths,
				    "set paths to ignore in bucket resource (can specify multiple paths with commas: path1,path2)", "[]" };
	f[n++] = (struct cli_flag){ "fetch-timeout", 0, FLAG_DURATION, &fetch_timeout_ms, "set a timeout for fetching artifacts", "0s" };
	static const struct cli_usage u = {
		"tide create source bucket [name] [flags]",
		"The create source bucket command generates a Bucket resource and waits for it to be downloaded.\n"
		"For Buckets with static authentication, the credentials are stored in a Kubernetes secret.",
		"  # Create a source for a Bucket using static authentication\n"
		"  tide create source bucket podinfo \\\n"
		"    --bucket-name=podinfo \\\n"
		"    --endpoint=minio.minio.svc.cluster.local:9000 \\\n"
		"    --insecure=true \\\n"
		"    --access-key=myaccesskey \\\n"
		"    --secret-key=mysecretkey \\\n"
		"    --interval=10m\n\n"
		"  # Create a source for an Amazon S3 Bucket using IAM authentication\n"
		"  tide create source bucket podinfo \\\n"
		"    --bucket-name=podinfo \\\n"
		"    --provider=aws \\\n"
		"    --endpoint=s3.amazonaws.com \\\n"
		"    --region=us-east-1 \\\n"
		"    --interval=10m",
	};
	/* flux checks --provider as the flag is parsed, before it looks for NAME */
	int code;
	const char *args[2];
	size_t nargs;
	if (cli_parse_verb(&code, argc, argv, f, n, args, 2, &nargs, &cc.g.help, &u))
		return code;
	bool known = false;
	for (size_t i = 0; i < sizeof(providers) / sizeof(providers[0]); i++)
		known |= !strcmp(provider, providers[i]);
	if (!*provider)
		return cli_fail("invalid argument \"\" for \"--provider\" flag: no source bucket provider given, please specify the S3 compatible storage provider name");
	if (!known)
		return cli_fail("invalid argument \"%s\" for \"--provider\" flag: source bucket provider '%s' is not supported, must be one of: generic, aws, azure, gcp",
				provider, provider);
	if (nargs != 1)
		return cli_fail("name is required");
	const char *name = args[0];
	if (!bucket || !*bucket)
		return cli_fail("bucket-name is required");
	if (!endpoint || !*endpoint)
		return cli_fail("endpoint is required");

	struct arena *a = arena_new();
	struct doc_node *obj;
	int rc = create_new_object(&obj, a, &cc, "source.toolkit.fluxcd.io/v1", "Bucket", name);
	if (rc)
		goto fail;
	struct doc_node *spec = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	doc_map_set(a, spec, "bucketName", create_str(a, bucket));
	doc_map_set(a, spec, "endpoint", create_str(a, endpoint));
	create_set_lines(a, spec, "ignore", &ignore_paths);
	if (insecure)
		doc_map_set(a, spec, "insecure", doc_new_bool(a, true));
	doc_map_set(a, spec, "interval", create_duration(a, cc.interval_ms));
	doc_map_set(a, spec, "provider", create_str(a, provider));
	if (create_given(proxy_secret_ref))
		doc_map_set(a, spec, "proxySecretRef", create_name_ref(a, proxy_secret_ref));
	if (create_given(region))
		doc_map_set(a, spec, "region", create_str(a, region));
	if (create_given(secret_ref))
		doc_map_set(a, spec, "secretRef", create_name_ref(a, secret_ref));
	if (fetch_timeout_ms > 0)
		doc_map_set(a, spec, "timeout", create_duration(a, fetch_timeout_ms));
	static const struct source_msgs m = {
		"Bucket", "source.toolkit.fluxcd.io/v1", "applying Bucket source", "Bucket source",
		"waiting for Bucket source reconciliation", "Bucket source reconciliation completed",
		"Bucket source reconciliation but no artifact was found", "generating Bucket source",
	};
	struct keys k = { &cc, name, access_key, secret_key };
	/* flux stores the keys only when both are given */
	bool store = !create_given(secret_ref) && create_given(access_key) && create_given(secret_key);
	return create_source_finish(&cc, a, obj, &m, store ? apply_keys : NULL, &k);
fail:
	arena_free(a);
	return cli_fail("%s", err_msg());
}
