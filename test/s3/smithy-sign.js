#!/usr/bin/env node
// Signs one S3 GET with AWS's own SigV4 signer (@smithy/signature-v4, the JavaScript SDK
// v3's), for tests/unit/source/s3rver_test.c to compare with the request tide sent, byte
// for byte. Usage: node test/s3/smithy-sign.js TOOLS-DIR REQUEST.json
// REQUEST.json: {"host", "bucket", "key" (decoded, "" for the bucket), "pathStyle",
// "query": {name: value} (decoded), "accessKeyId", "secretAccessKey", "sessionToken",
// "region", "time" (seconds since the epoch)}. Prints "path: ..." (the path as the SDK's
// S3 serializer encodes it) and then the headers the signer added, "name: value" a line.
'use strict';
const crypto = require('crypto');
const path = require('path');
const fs = require('fs');
const { SignatureV4 } = require(path.join(process.argv[2], 'node_modules', '@smithy', 'signature-v4'));

class Sha256 {
  constructor(secret) {
    this.h = secret ? crypto.createHmac('sha256', Buffer.from(secret)) : crypto.createHash('sha256');
  }
  update(data) { this.h.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data); }
  async digest() { return new Uint8Array(this.h.digest()); }
}

// The SDK's S3 serializer: encodeURIComponent, and !'()* too; '/' kept between segments.
const encodeSegment = s =>
  encodeURIComponent(s).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());

async function main() {
  const rq = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
  let p = '/';
  if (rq.pathStyle) p += rq.bucket + '/';
  p += rq.key.split('/').map(encodeSegment).join('/');
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: rq.accessKeyId,
      secretAccessKey: rq.secretAccessKey,
      sessionToken: rq.sessionToken || undefined,
    },
    region: rq.region,
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false, // S3: the path is signed as it is sent
    applyChecksum: true,
  });
  const signed = await signer.sign(
    {
      method: 'GET',
      protocol: 'http:',
      hostname: rq.host,
      path: p,
      query: rq.query,
      headers: {
        host: rq.host,
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      },
    },
    { signingDate: new Date(rq.time * 1000) },
  );
  const out = [`path: ${p}`];
  for (const name of Object.keys(signed.headers).sort())
    if (name !== 'host') out.push(`${name.toLowerCase()}: ${signed.headers[name]}`);
  process.stdout.write(out.join('\n') + '\n');
}

main().catch(e => { console.error(e); process.exit(1); });
