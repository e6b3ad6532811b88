/* source/xml and source/s3_xml: the small XML reader (what it accepts, what it refuses, its
 * caps) and S3's documents read with it: ListObjectsV2 pages (AWS's sample response, pages,
 * encoding-type=url keys, the caps) and Error bodies. */
#include "test.h"

#include <stdlib.h>
#include <string.h>

#include "source/s3.h"
#include "source/xml.h"
#include "util/buf.h"
#include "util/error.h"

/* ---- The reader -------------------------------------------------------------------------*/

struct trace {
	struct buf out;
};

static int t_start(void *ud, size_t depth, const char *name, size_t len)
{
	struct trace *t = ud;
	buf_addf(&t->out, "<%zu:%.*s>", depth, (int)len, name);
	return 0;
}

static int t_end(void *ud, size_t depth, const char *name, size_t len, const char *text,
		 size_t tlen)
{
	struct trace *t = ud;
	if (text) {
		CHECK(strlen(text) == tlen);
		buf_addf(&t->out, "[%s]", text);
	}
	buf_addf(&t->out, "</%zu:%.*s>", depth, (int)len, name);
	return 0;
}

static const struct xml_handler tracer = { t_start, t_end };

/* The trace of doc, or "ERR <code>" when it is refused. */
static char *trace(const char *doc, const struct xml_limits *lim)
{
	struct trace t;
	buf_init(&t.out, 0);
	int rc = xml_read(doc, strlen(doc), lim, &tracer, &t);
	if (rc) {
		buf_reset(&t.out);
		buf_addf(&t.out, "ERR %d", rc);
	}
	return buf_detach(&t.out, NULL);
}

/* xml_read with the tracer, the trace dropped. */
static int read_only(const char *doc, size_t len, const struct xml_limits *lim)
{
	struct trace t;
	buf_init(&t.out, 0);
	int rc = xml_read(doc, len, lim, &tracer, &t);
	buf_release(&t.out);
	return rc;
}

#define CHECK_TRACE(doc, want)                 \
	do {                                   \
		char *got_ = trace(doc, NULL); \
		CHECK_STR(got_, want);         \
		free(got_);                    \
	} while (0)

TEST(reader_accepts)
{
	CHECK_TRACE("<a/>", "<1:a>[]</1:a>");
	CHECK_TRACE("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c -->\n"
		    "<r xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\" a='1'>\n"
		    "  <s3:K>x &lt;&gt;&amp;&quot;&apos; &#65;&#x42;&#x1F600;</s3:K>\n"
		    "  <E><![CDATA[<raw> & ]]>tail<!-- in -->end</E>\n"
		    "  <P><C>1</C><C/></P>\n"
		    "</r >\n<!-- after -->\n",
		    "<1:r><2:K>[x <>&\"' AB\xf0\x9f\x98\x80]</2:K><2:E>[<raw> & tailend]</2:E>"
		    "<2:P><3:C>[1]</3:C><3:C>[]</3:C></2:P></1:r>");
	/* Line ends read as LF; control characters by reference pass (S3 writes them so). */
	CHECK_TRACE("<a>1\r\n2\r3&#x1;</a>", "<1:a>[1\n2\n3\x01]</1:a>");
}

TEST(reader_refuses)
{
	const char *bad[] = {
		"",
		"   ",
		"text",
		"<a>",
		"<a></b>",
		"<a><b></a></b>",
		"<a/><b/>",
		"<a/>trailing",
		"<a>&unknown;</a>",
		"<a>&#0;</a>",
		"<a>&#xD800;</a>",
		"<a>&#x110000;</a>",
		"<a>&#;</a>",
		"<a>&#12</a>",
		"<a>&amp</a>",
		"<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
		"<!ENTITY x \"y\"><a/>",
		"<a b></a>",
		"<a b=c></a>",
		"<a b=\"c></a>",
		"<a b=\"<\"></a>",
		"<ab=\"c\"></a>",
		"<a/ >",
		"<1a/>",
		"<a><!-- open</a>",
		"<a><![CDATA[open</a>",
		"<![CDATA[x]]><a/>",
		"<?pi open",
		"</a>",
		"<a></a ",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *got = trace(bad[i], NULL);
		if (strncmp(got, "ERR ", 4)) {
			printf("#   accepted: %s -> %s\n", bad[i], got);
			CHECK(0);
		}
		free(got);
	}
	struct buf b = BUF_INIT;
	buf_add(&b, "<a>x\0y</a>", 10);
	CHECK_INT(read_only(b.ptr, b.len, NULL), ERR_INVALID);
	buf_release(&b);
	CHECK_INT(read_only("<!DOCTYPE a><a/>", 16, NULL), ERR_INVALID);
	CHECK(strstr(err_msg(), "DOCTYPE") != NULL);
}

TEST(reader_caps)
{
	struct xml_limits lim = { 3, 4, 5 };
	char *got = trace("<a><b><c/></b></a>", &lim);
	CHECK_STR(got, "<1:a><2:b><3:c>[]</3:c></2:b></1:a>");
	free(got);
	got = trace("<a><b><c><d/></c></b></a>", &lim);
	CHECK_STR(got, "ERR -6");
	free(got);
	got = trace("<abcde/>", &lim);
	CHECK_STR(got, "ERR -6");
	free(got);
	got = trace("<a>12345</a>", &lim);
	CHECK_STR(got, "<1:a>[12345]</1:a>");
	free(got);
	got = trace("<a>12&#x33;456</a>", &lim);
	CHECK_STR(got, "ERR -6");
	free(got);
	/* Text after a child element is not kept, so it is not capped either. */
	got = trace("<a><b>1</b>123456</a>", &lim);
	CHECK_STR(got, "<1:a><2:b>[1]</2:b></1:a>");
	free(got);
	/* The default depth cap (32). */
	struct buf deep = BUF_INIT;
	for (int i = 0; i < 40; i++)
		buf_adds(&deep, "<a>");
	CHECK_INT(read_only(deep.ptr, deep.len, NULL), ERR_TOOBIG);
	buf_release(&deep);
}

static int stop_at_b(void *ud, size_t depth, const char *name, size_t len)
{
	(void)ud, (void)depth;
	return len == 1 && name[0] == 'b' ? -42 : 0;
}

TEST(reader_handler_stops)
{
	struct xml_handler h = { stop_at_b, NULL };
	CHECK_INT(xml_read("<a><b/></a>", 11, NULL, &h, NULL), -42);
}

/* ---- ListObjectsV2 ----------------------------------------------------------------------*/

/* AWS's sample response (ListObjectsV2, "Example 1: Listing keys"). */
static const char aws_sample[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n"
	"<Name>bucket</Name>\n<Prefix/>\n<KeyCount>205</KeyCount>\n<MaxKeys>1000</MaxKeys>\n"
	"<IsTruncated>false</IsTruncated>\n"
	"<Contents>\n<Key>my-image.jpg</Key>\n<LastModified>2009-10-12T17:50:30.000Z</LastModified>\n"
	"<ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag>\n<Size>434234</Size>\n"
	"<StorageClass>STANDARD</StorageClass>\n</Contents>\n"
	"<Contents>\n<Key>my-third-image.jpg</Key>\n<LastModified>2009-10-12T17:50:30.000Z</LastModified>\n"
	"<ETag>\"1b2cf535f27731c974343645a3985328\"</ETag>\n<Size>64994</Size>\n"
	"<StorageClass>STANDARD_IA</StorageClass>\n"
	"<Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>"
	"<DisplayName>mtd@amazon.com</DisplayName></Owner>\n</Contents>\n"
	"</ListBucketResult>\n";

TEST(list_aws_sample)
{
	struct s3_list l = S3_LIST_INIT;
	struct s3_page page;
	REQUIRE(s3_parse_list_page(aws_sample, strlen(aws_sample), NULL, &l, &page) == 0);
	CHECK(!page.truncated);
	CHECK(page.next_token == NULL);
	CHECK_INT(page.objects, 2);
	REQUIRE(l.n == 2);
	CHECK_STR(l.obj[0].key, "my-image.jpg");
	CHECK_STR(l.obj[0].etag, "fba9dede5f27731c9771645a39863328");
	CHECK_INT(l.obj[0].size, 434234);
	CHECK_STR(l.obj[0].last_modified, "2009-10-12T17:50:30.000Z");
	CHECK_STR(l.obj[1].key, "my-third-image.jpg");
	CHECK_STR(l.obj[1].etag, "1b2cf535f27731c974343645a3985328");
	CHECK_INT(l.obj[1].size, 64994);
	s3_page_release(&page);
	s3_list_release(&l);
	CHECK(l.n == 0 && l.obj == NULL);
}

static int parse(const char *body, const struct s3_limits *lim, struct s3_list *l,
		 struct s3_page *page)
{
	return s3_parse_list_page(body, strlen(body), lim, l, page);
}

TEST(list_pages_and_url_keys)
{
	struct s3_list l = S3_LIST_INIT;
	struct s3_page page;
	/* EncodingType may come after the keys; '+' is a space, %2B a plus. */
	REQUIRE(parse("<ListBucketResult><IsTruncated>true</IsTruncated>"
		      "<Contents><Key>a%20b%2Bc+d%E1%88%B4</Key><Size>0</Size></Contents>"
		      "<NextContinuationToken>1/abc+=</NextContinuationToken>"
		      "<EncodingType>url</EncodingType></ListBucketResult>",
		      NULL, &l, &page) == 0);
	CHECK(page.truncated);
	CHECK_STR(page.next_token, "1/abc+=");
	s3_page_release(&page);
	/* A second page appends; keys as they are without EncodingType. */
	REQUIRE(parse("<ListBucketResult><Contents><Key>x%20y+z</Key><ETag>e</ETag>"
		      "<Size>12</Size></Contents><IsTruncated>false</IsTruncated></ListBucketResult>",
		      NULL, &l, &page) == 0);
	CHECK(!page.truncated);
	REQUIRE(l.n == 2);
	CHECK_STR(l.obj[0].key, "a b+c d\xe1\x88\xb4");
	CHECK_STR(l.obj[0].etag, "");
	CHECK_STR(l.obj[0].last_modified, "");
	CHECK_STR(l.obj[1].key, "x%20y+z");
	CHECK_STR(l.obj[1].etag, "e");
	CHECK_INT(l.obj[1].size, 12);
	s3_page_release(&page);
	s3_list_release(&l);
}

static int parse_err(const char *body, const struct s3_limits *lim)
{
	struct s3_list l = S3_LIST_INIT;
	struct s3_page page;
	int rc = parse(body, lim, &l, &page);
	if (!rc)
		s3_page_release(&page);
	s3_list_release(&l);
	return rc;
}

#define C(k) "<Contents><Key>" k "</Key><Size>1</Size></Contents>"

TEST(list_refusals)
{
	CHECK_INT(parse_err("<Error><Code>x</Code></Error>", NULL), ERR_INVALID);
	CHECK_INT(parse_err("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>", NULL),
		  ERR_INVALID);
	CHECK_INT(parse_err("<ListBucketResult><IsTruncated>yes</IsTruncated></ListBucketResult>", NULL),
		  ERR_INVALID);
	CHECK_INT(parse_err("<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>",
			    NULL), ERR_INVALID);
	CHECK_INT(parse_err("<ListBucketResult>" C("") "</ListBucketResult>", NULL), ERR_INVALID);
	CHECK_INT(parse_err("<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents>"
			    "</ListBucketResult>", NULL), ERR_INVALID);
	CHECK_INT(parse_err("<ListBucketResult><Contents><Key>k</Key><Size>99999999999999999999</Size>"
			    "</Contents></ListBucketResult>", NULL), ERR_INVALID);
	CHECK_INT(parse_err("<ListBucketResult>" C("a%00b") "<EncodingType>url</EncodingType>"
			    "</ListBucketResult>", NULL), ERR_INVALID);
	CHECK_INT(parse_err("<ListBucketResult>" C("a%zz") "<EncodingType>url</EncodingType>"
			    "</ListBucketResult>", NULL), ERR_INVALID);
	CHECK_INT(parse_err("<ListBucketResult>" C("a%2") "<EncodingType>url</EncodingType>"
			    "</ListBucketResult>", NULL), ERR_INVALID);
	struct s3_limits lim = { .max_objects = 2, .max_key_len = 4 };
	CHECK_INT(parse_err("<ListBucketResult>" C("a") C("b") "</ListBucketResult>", &lim), 0);
	CHECK_INT(parse_err("<ListBucketResult>" C("a") C("b") C("c") "</ListBucketResult>", &lim),
		  ERR_TOOBIG);
	CHECK_INT(parse_err("<ListBucketResult>" C("abcd") "</ListBucketResult>", &lim), 0);
	CHECK_INT(parse_err("<ListBucketResult>" C("abcde") "</ListBucketResult>", &lim), ERR_TOOBIG);
	/* Encoded, the cap holds for the decoded key. */
	CHECK_INT(parse_err("<ListBucketResult>" C("%41%42%43%44") "<EncodingType>url</EncodingType>"
			    "</ListBucketResult>", &lim), 0);
	CHECK_INT(parse_err("<ListBucketResult>" C("%41%42%43%44%45") "<EncodingType>url</EncodingType>"
			    "</ListBucketResult>", &lim), ERR_TOOBIG);
	/* The cap on objects counts what the list already holds. */
	struct s3_list l = S3_LIST_INIT;
	struct s3_page page;
	REQUIRE(parse("<ListBucketResult>" C("a") C("b") "</ListBucketResult>", &lim, &l, &page) == 0);
	s3_page_release(&page);
	CHECK_INT(parse("<ListBucketResult>" C("c") "</ListBucketResult>", &lim, &l, &page), ERR_TOOBIG);
	s3_list_release(&l);
}

TEST(error_document)
{
	struct s3_error e;
	const char *doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
			  "<Message>The resource you requested does not exist\x01\n</Message>"
			  "<Resource>/mybucket/myfoto.jpg</Resource><RequestId>4442587FB7D0A2F9</RequestId>"
			  "</Error>";
	REQUIRE(s3_parse_error(doc, strlen(doc), &e) == 0);
	CHECK_STR(e.code, "NoSuchKey");
	CHECK_STR(e.message, "The resource you requested does not exist??");
	CHECK_INT(s3_parse_error("<ListBucketResult/>", 19, &e), ERR_INVALID);
	CHECK_STR(e.code, "");
	CHECK_INT(s3_parse_error("<html>502", 9, &e), ERR_INVALID);
	/* A long message is cut, not refused. */
	struct buf b = BUF_INIT;
	buf_adds(&b, "<Error><Code>SlowDown</Code><Message>");
	buf_addnch(&b, 'm', 2000);
	buf_adds(&b, "</Message></Error>");
	REQUIRE(s3_parse_error(b.ptr, b.len, &e) == 0);
	CHECK_INT(strlen(e.message), sizeof e.message - 1);
	buf_release(&b);
}

int main(void)
{
	RUN(reader_accepts);
	RUN(reader_refuses);
	RUN(reader_caps);
	RUN(reader_handler_stops);
	RUN(list_aws_sample);
	RUN(list_pages_and_url_keys);
	RUN(list_refusals);
	RUN(error_document);
	return test_done();
}
