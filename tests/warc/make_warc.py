# Writes a WARC file (gzipped per record when asked) with warcio, for tests/warc.rs:
# warcinfo, then per page a request, a metadata and a response record. Spec on stdin.
import io, json, sys
from warcio.warcwriter import WARCWriter
from warcio.statusandheaders import StatusAndHeaders
spec = json.load(sys.stdin)
date = spec["date"]
with open(spec["out"], "wb") as out:
    writer = WARCWriter(out, gzip=spec["gzip"])
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "dateline tests"}))
    for page in spec["pages"]:
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
        writer.write_record(writer.create_warc_record(page["url"], "request", http_headers=request, warc_headers_dict={"WARC-Date": date}))
        writer.write_record(writer.create_warc_record(page["url"], "metadata", payload=io.BytesIO(b"fetchTimeMs: 120\r\n"), warc_content_type="application/warc-fields", warc_headers_dict={"WARC-Date": date}))
        with open(page["path"], "rb") as f:
            body = f.read()
        headers = StatusAndHeaders("200 OK", [("Content-Type", page["type"])], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(page["url"], "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": date}))
