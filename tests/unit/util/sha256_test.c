/* util/sha256: FIPS 180-4 test vectors, and every length from 0 to 300 bytes (all the
 * padding cases, split into uneven updates) against OpenSSL's SHA-256. */
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "util/sha256.h"

static void hex(const unsigned char d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

TEST(known_vectors)
{
	unsigned char d[32];
	char h[65];
	sha256("", 0, d);
	hex(d, h);
	CHECK_STR(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256("abc", 3, d);
	hex(d, h);
	CHECK_STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha256(m, strlen(m), d);
	hex(d, h);
	CHECK_STR(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(matches_openssl_for_every_length)
{
	unsigned char buf[300], want[32], got[32];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	int bad = 0;
	for (size_t n = 0; n <= sizeof buf; n++) {
		unsigned int wl = 32;
		EVP_Digest(buf, n, want, &wl, EVP_sha256(), NULL);
		struct sha256 s;
		sha256_init(&s);
		/* Uneven pieces, so partial blocks are carried across updates. */
		for (size_t off = 0, step = 1; off < n; off += step, step = step * 3 % 71 + 1)
			sha256_update(&s, buf + off, off + step > n ? n - off : step);
		sha256_final(&s, got);
		if (memcmp(want, got, 32))
			bad++;
	}
	CHECK(bad == 0);
}

int main(void)
{
	RUN(known_vectors);
	RUN(matches_openssl_for_every_length);
	return test_done();
}
