#!/usr/bin/env python3
# A scripted S3 server for tests/e2e/bucket/bucket.sh: every bucket exists, every listing
# names the keys given on the command line (keys a real server would not keep, such as
# "../escape.yaml"), every object's body is "x". Usage: fake-s3.py PORT KEY...
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from xml.sax.saxutils import escape

port, keys = int(sys.argv[1]), sys.argv[2:]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if 'list-type=2' in self.path:
            items = ''.join('<Contents><Key>%s</Key><ETag>"0123"</ETag><Size>1</Size></Contents>'
                            % escape(k) for k in keys)
            body = ('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name>'
                    '<IsTruncated>false</IsTruncated>%s</ListBucketResult>' % items).encode()
        else:
            body = b'x'
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.send_header('ETag', '"0123"')
        self.end_headers()
        self.wfile.write(body)


HTTPServer(('127.0.0.1', port), Handler).serve_forever()
