/*
 * The SSH half of flux's sourcesecret.GenerateGit, shared by `create secret git` and `create
 * source git` (create.h): the key flags and their checks, and the Secret's identity,
 * identity.pub, known_hosts and password. The key pair is read from --private-key-file or
 * generated as flux does it (sshkey.h); the server's host key is scanned as flux does it
 * (source/sshscan.h) unless --known-hosts-file (tide's own flag) gives the known_hosts text.
 */
#include <stdio.h>
#include <string.h>

#include "cli/create.h"
#include "cli/flags.h"
#include "cli/sshkey.h"
#include "doc/doc.h"
#include "source/sshscan.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/banned.h"

/* Go's url.URL.Host of a URL: what lies between "://" (and any "user@") and the path. */
static const char *url_host(struct arena *a, const char *url)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	size_t len = strcspn(h, "/?#");
	const char *at = memchr(h, '@', len);
	while (at) {
		len -= (size_t)(at + 1 - h);
		h = at + 1;
		at = memchr(h, '@', len);
	}
	return arena_strndup(a, h, len);
}

size_t create_ssh_flags(struct cli_flag *f, struct create_ssh *o)
{
	*o = (struct create_ssh){ .algo = "ecdsa", .curve = "p384", .rsa_bits = 2048 };
	size_t n = 0;
	f[n++] = (struct cli_flag){ "private-key-file", 0, FLAG_STRING, &o->key_file, "path to a private key file used for authenticating to the Git SSH server", NULL };
	f[n++] = (struct cli_flag){ "known-hosts-file", 0, FLAG_STRING, &o->known_hosts_file,
				    "path to a known_hosts file with the Git SSH server's host keys (default: scan the server's host key)", NULL };
	f[n++] = (struct cli_flag){ "ssh-key-algorithm", 0, FLAG_STRING, &o->algo, "SSH private key algorithm (rsa, ecdsa, ed25519)", "ecdsa" };
	f[n++] = (struct cli_flag){ "ssh-rsa-bits", 0, FLAG_INT, &o->rsa_bits, "SSH RSA public key bit size (multiplies of 8, min 1024)", "2048" };
	f[n++] = (struct cli_flag){ "ssh-ecdsa-curve", 0, FLAG_STRING, &o->curve, "SSH ECDSA public key curve (p256, p384, p521)", "p384" };
	return n;
}

int create_ssh_check(const struct create_ssh *o)
{
	/* flux's flag types check these when given, whatever the scheme */
	if (strcmp(o->algo, "rsa") && strcmp(o->algo, "ecdsa") && strcmp(o->algo, "ed25519"))
		return err_set(ERR_INVALID, "invalid argument \"%s\" for \"--ssh-key-algorithm\" flag: unsupported public key algorithm '%s', must be one of: rsa, ecdsa, ed25519",
			       o->algo, o->algo);
	if (strcmp(o->curve, "p256") && strcmp(o->curve, "p384") && strcmp(o->curve, "p521"))
		return err_set(ERR_INVALID, "invalid argument \"%s\" for \"--ssh-ecdsa-curve\" flag: unsupported curve '%s', must be one of: p256, p384, p521",
			       o->curve, o->curve);
	if (o->rsa_bits < 1024)
		return err_set(ERR_INVALID, "invalid argument \"%ld\" for \"--ssh-rsa-bits\" flag: RSA key bit size must be at least 1024", o->rsa_bits);
	if (o->rsa_bits % 8 || o->rsa_bits > 16384)
		return err_set(ERR_INVALID, "invalid argument \"%ld\" for \"--ssh-rsa-bits\" flag: RSA key bit size must be a multiples of 8", o->rsa_bits);
	return 0;
}

int create_ssh_secret_data(struct arena *a, struct doc_node *data, const struct create_ssh *o, const char *url)
{
	const char *key, *pub = NULL, *hosts;
	struct buf k = BUF_INIT, p = BUF_INIT;
	int rc;
	if (create_given(o->key_file)) {
		if ((rc = create_read_file(&key, a, o->key_file, "failed to open private key file")))
			return rc;
		if (!strstr(key, "PRIVATE KEY-----"))
			return err_set(ERR_INVALID, "%s: not a PEM or OpenSSH private key", o->key_file);
		/* OpenSSL reads PEM keys; for OpenSSH's own format the .pub file beside it */
		if (!strstr(key, "OPENSSH PRIVATE KEY")) {
			if ((rc = sshkey_public_of(&p, key, create_given(o->password) ? o->password : NULL))) {
				buf_release(&p);
				return rc;
			}
		} else if (fs_read_file(arena_sprintf(a, "%s.pub", o->key_file), 64 << 10, &p)) {
			p.len = 0;
			err_clear();
		}
	} else {
		if ((rc = sshkey_generate(&k, &p, o->algo, o->curve, (int)o->rsa_bits))) {
			buf_release(&k);
			buf_release(&p);
			return rc;
		}
		key = arena_strndup(a, k.ptr, k.len);
	}
	if (p.len)
		pub = arena_strndup(a, p.ptr, p.len);
	buf_release(&k);
	buf_release(&p);
	if (create_given(o->known_hosts_file)) {
		if ((rc = create_read_file(&hosts, a, o->known_hosts_file, "failed to open known_hosts file")))
			return rc;
	} else {
		/* flux's sourcesecret.ScanHostKey: the URL's host, port 22 when it names none */
		const char *host = url_host(a, url);
		const char *after = host[0] == '[' && strchr(host, ']') ? strchr(host, ']') : host;
		if (!strchr(after, ':'))
			host = arena_sprintf(a, "%s:22", host);
		struct buf line = BUF_INIT;
		rc = ssh_scan_host_key(&line, host, 30000);
		if (rc) {
			buf_release(&line);
			return err_set(rc, "SSH key scan for host %s failed, error: %s", host, err_msg());
		}
		hosts = arena_strndup(a, line.ptr, line.len);
		buf_release(&line);
	}
	doc_map_set(a, data, "identity", create_str(a, key));
	if (pub)
		doc_map_set(a, data, "identity.pub", create_str(a, pub));
	doc_map_set(a, data, "known_hosts", create_str(a, hosts));
	if (create_given(o->password))
		doc_map_set(a, data, "password", create_str(a, o->password));
	return 0;
}
