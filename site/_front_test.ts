import assert from "node:assert/strict";
import { bodyLength, Refusal } from "./_front.ts";

function refused(head: string): number | undefined {
  const result = bodyLength(head);
  return result instanceof Refusal ? result.status : undefined;
}

Deno.test("bodyLength() frames requests by Content-Length, absent meaning none", () => {
  assert.equal(bodyLength("GET / HTTP/1.1\r\nHost: a"), 0);
  assert.equal(bodyLength("GET / HTTP/1.0"), 0);
  assert.equal(bodyLength("POST /x HTTP/1.1\r\nHost: a\r\ncontent-length: 12"), 12);
  assert.equal(bodyLength("POST /x HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5"), 5);
  assert.equal(bodyLength("GET http://a/x HTTP/1.1\nHost: a"), 0);
});

Deno.test("bodyLength() refuses what it cannot frame unambiguously", () => {
  assert.equal(refused("GET / HTTP/1.1\r\nTransfer-Encoding: chunked"), 411);
  assert.equal(refused("GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6"), 400);
  assert.equal(refused("GET / HTTP/1.1\r\nContent-Length: -1"), 400);
  assert.equal(refused("GET / HTTP/1.1\r\nContent-Length: 1e3"), 400);
  assert.equal(refused("GET / HTTP/1.1\r\nContent-Length: 1000000"), 413);
  assert.equal(refused("GET / HTTP/1.1\r\nHost : a"), 400);
  assert.equal(refused("GET / HTTP/1.1\r\nHost: a\r\n folded"), 400);
  assert.equal(refused("GET / HTTP/1.1\r\nNo colon"), 400);
  assert.equal(refused("GET /  HTTP/1.1"), 400);
  assert.equal(refused("GET / HTTP/2.0"), 505);
  assert.equal(refused("PRI * HTTP/2.0"), 505);
  assert.equal(refused("\u0016\u0003\u0001 TLS hello"), 400);
});
