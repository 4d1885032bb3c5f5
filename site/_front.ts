/**
 * A small TCP front for `Deno.serve`, enforcing what `Deno.serve` cannot: time limits on reading
 * requests and on idle connections, and a bound on open connections.
 *
 * `Deno.serve` (Deno 2.9) has no header, request or idle timeout: a client that opens a connection
 * and never finishes its headers holds it forever (measured: still open after 100 s), and the
 * handler never hears of it, because it only runs once a request head is complete. So the public
 * port is a plain `Deno.listen` socket. The front reads each request head itself, under a
 * deadline, and hands complete requests over a private Unix socket to `Deno.serve`, which does all
 * the HTTP. To know where each request ends on a keep-alive connection it frames requests the
 * way HTTP/1.1 does: a head ending in an empty line, then `Content-Length` bytes of body. Bodies
 * of unknown length (`Transfer-Encoding`) get 411: the site takes no uploads.
 *
 * The limits:
 *
 * - **request read**: a request's head and body must arrive within `requestTimeout` of its first
 *   byte; a new connection's first request, within `requestTimeout` of the connection opening.
 * - **idle**: between requests, a connection is closed after `idleTimeout` without a byte in
 *   either direction. A response that the client stops reading counts as idle too.
 * - **open connections**: at most `maxConnections`. A newcomer beyond it replaces the oldest
 *   connection that has not completed a request yet (nothing can be in flight on it), or is
 *   closed at once if every connection is busy.
 *
 * @module
 */

/** Options of {@linkcode serveFront}. */
export interface FrontOptions {
  /** Address to listen on. @default {"127.0.0.1"} */
  hostname?: string;
  /** Port to listen on; `0` picks a free one. @default {8000} */
  port?: number;
  /** Milliseconds a request's head and body may take to arrive. @default {10_000} */
  requestTimeout?: number;
  /** Milliseconds a connection may sit idle between requests. @default {30_000} */
  idleTimeout?: number;
  /** Most connections open at once. @default {1024} */
  maxConnections?: number;
  /** Called once listening. */
  onListen?: (addr: Deno.NetAddr) => void;
  /** Closes the server when aborted, as {@linkcode Front.shutdown} does. */
  signal?: AbortSignal;
}

/** A running front. */
export interface Front extends AsyncDisposable {
  /** The public address. */
  readonly addr: Deno.NetAddr;
  /** Settles once the server has shut down. */
  readonly finished: Promise<void>;
  /** Stops accepting, lets requests in flight finish, closes every connection. */
  shutdown(): Promise<void>;
}

/** Longest request head accepted: far above any browser's, far below a memory problem. */
const MAX_HEAD = 32 * 1024;
/** Largest request body accepted; the site has no uploads, this only frames stray bodies. */
const MAX_BODY = 64 * 1024;
const LF = 10;
const LATIN1 = new TextDecoder("latin1");
const CR = 13;

const REASONS: Record<number, string> = {
  400: "Bad Request",
  411: "Length Required",
  413: "Content Too Large",
  431: "Request Header Fields Too Large",
  505: "HTTP Version Not Supported",
};

/** A complete response the front sends itself before closing, plain text, never cached. */
function errorResponse(status: number, message: string): Uint8Array {
  const body = `${message}\n`;
  return new TextEncoder().encode(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\n` +
      "content-type: text/plain; charset=utf-8\r\n" +
      "x-content-type-options: nosniff\r\n" +
      "cache-control: no-store\r\n" +
      `content-length: ${body.length}\r\n` +
      "connection: close\r\n\r\n" + body,
  );
}

/** Why a request head cannot be passed on: its status and a short message. */
export class Refusal {
  /** Records the status and message of the front's own reply. */
  constructor(readonly status: number, readonly message: string) {}
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) ([^\s]+) HTTP\/(\d)\.(\d)$/;

/**
 * Reads what framing needs from a request head (without its final empty line): the length of
 * the body that follows. Anything the HTTP/1.1 grammar does not allow is refused rather than
 * guessed at, so the front and `Deno.serve` can never disagree on where a request ends.
 */
export function bodyLength(head: string): number | Refusal {
  const lines = head.split(/\r?\n/);
  const line = REQUEST_LINE.exec(lines[0]);
  if (!line) return new Refusal(400, "Malformed request line");
  if (line[3] !== "1") return new Refusal(505, "Only HTTP/1.0 and HTTP/1.1 are served");
  let length: string | undefined;
  for (const field of lines.slice(1)) {
    const colon = field.indexOf(":");
    // No obsolete line folding, no space before the colon (RFC 9112 §5.1, §5.2).
    if (colon <= 0 || !TOKEN.test(field.slice(0, colon))) {
      return new Refusal(400, "Malformed header field");
    }
    const name = field.slice(0, colon).toLowerCase();
    const value = field.slice(colon + 1).trim();
    if (name === "transfer-encoding") {
      return new Refusal(
        411,
        "Send a Content-Length: request bodies of unknown length are refused",
      );
    }
    if (name === "content-length") {
      if (!/^\d{1,15}$/.test(value) || (length !== undefined && length !== value)) {
        return new Refusal(400, "Malformed Content-Length");
      }
      length = value;
    }
  }
  const size = Number(length ?? 0);
  return size > MAX_BODY
    ? new Refusal(413, `Request bodies are limited to ${MAX_BODY} bytes`)
    : size;
}

/** Index just past the empty line ending a head in `bytes[0, length)`, searching from `from`. */
function headEnd(bytes: Uint8Array, length: number, from: number): number {
  for (let i = Math.max(0, from); i < length - 1; i++) {
    if (bytes[i] !== LF) continue;
    if (bytes[i + 1] === LF) return i + 2;
    if (bytes[i + 1] === CR && i + 2 < length && bytes[i + 2] === LF) return i + 3;
  }
  return -1;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}

/** One client connection and, once it has sent a whole request, its link to the backend. */
class Connection {
  backend?: Deno.UnixConn;
  /** `request`: a request is being read, under its deadline; `idle`: between requests. */
  phase: "request" | "idle" = "request";
  /** When the current phase's clock started: the request's first byte, or the last activity. */
  since: number = performance.now();
  /** Whether a whole request head has arrived: until then nothing can be in flight. */
  served = false;
  closed = false;

  constructor(readonly conn: Deno.TcpConn) {}

  deadline(requestTimeout: number, idleTimeout: number): number {
    return this.since + (this.phase === "request" ? requestTimeout : idleTimeout);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const conn of [this.conn, this.backend]) {
      try {
        conn?.close();
      } catch {
        // Already closed by the peer.
      }
    }
  }
}

/**
 * Serves `handler` on a TCP port behind the front described in the module doc.
 *
 * @example Usage
 * ```ts ignore
 * import { serveFront } from "./_front.ts";
 * const front = await serveFront(() => new Response("hi"), { port: 0, requestTimeout: 5000 });
 * await front.shutdown();
 * ```
 */
export async function serveFront(
  handler: (request: Request) => Response | Promise<Response>,
  options: FrontOptions = {},
): Promise<Front> {
  const requestTimeout = options.requestTimeout ?? 10_000;
  const idleTimeout = options.idleTimeout ?? 30_000;
  const maxConnections = options.maxConnections ?? 1024;
  for (const [name, value] of Object.entries({ requestTimeout, idleTimeout, maxConnections })) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new RangeError(`Cannot use ${name} ${value}: expected a positive number`);
    }
  }

  const listener = Deno.listen({
    transport: "tcp",
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 8000,
  });
  // The backend listens on a socket in a private (0700) folder, so only this process reaches it.
  const dir = await Deno.makeTempDir({ prefix: "nonlin-site-" });
  const path = `${dir}/backend.sock`;
  const backend = Deno.serve({ transport: "unix", path, onListen: () => {} }, handler);
  const open = new Map<Connection, Promise<void>>();

  async function pump(c: Connection, from: Deno.UnixConn): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await from.read(buffer);
        if (n === null) break;
        // A response moving keeps the connection alive; it never extends a request's deadline.
        if (c.phase === "idle") c.since = performance.now();
        await writeAll(c.conn, buffer.subarray(0, n));
        if (c.phase === "idle") c.since = performance.now();
      }
    } catch {
      // The client went away or was timed out; either way the connection ends.
    }
    c.close();
  }

  async function serveConnection(c: Connection): Promise<void> {
    // Small to start with: a slow client holds these until its deadline.
    const buffer = new Uint8Array(8 * 1024);
    let head = new Uint8Array(2 * 1024);
    let headLength = 0;
    let bodyLeft = 0;
    let pumping: Promise<void> | undefined;
    try {
      for (;;) {
        const n = await c.conn.read(buffer);
        if (n === null) break;
        // Client bytes alone never reset the idle clock: a request must start, or stray empty
        // lines every few seconds would hold the connection forever.
        let chunk = buffer.subarray(0, n);
        while (chunk.length > 0) {
          if (bodyLeft > 0) {
            const part = chunk.subarray(0, bodyLeft);
            await writeAll(c.backend!, part);
            bodyLeft -= part.length;
            chunk = chunk.subarray(part.length);
            if (bodyLeft === 0) [c.phase, c.since] = ["idle", performance.now()];
            continue;
          }
          if (headLength === 0) {
            // Empty lines before a request line are allowed (RFC 9112 §2.2).
            let skip = 0;
            while (skip < chunk.length && (chunk[skip] === CR || chunk[skip] === LF)) skip++;
            chunk = chunk.subarray(skip);
            if (chunk.length === 0) break;
            if (c.phase === "idle") [c.phase, c.since] = ["request", performance.now()];
          }
          const take = Math.min(chunk.length, MAX_HEAD - headLength);
          if (headLength + take > head.length) {
            const grown = new Uint8Array(
              Math.min(MAX_HEAD, Math.max(2 * head.length, headLength + take)),
            );
            grown.set(head.subarray(0, headLength));
            head = grown;
          }
          head.set(chunk.subarray(0, take), headLength);
          const end = headEnd(head, headLength + take, headLength - 2);
          if (end < 0) {
            headLength += take;
            chunk = chunk.subarray(take);
            if (headLength === MAX_HEAD) throw new Refusal(431, "Request head too large");
            continue;
          }
          chunk = chunk.subarray(end - headLength);
          headLength = 0;
          const text = LATIN1.decode(head.subarray(0, end)).trimEnd();
          const length = bodyLength(text);
          if (length instanceof Refusal) throw length;
          if (!c.backend) {
            c.backend = await Deno.connect({ transport: "unix", path });
            pumping = pump(c, c.backend);
          }
          c.served = true;
          await writeAll(c.backend, head.subarray(0, end));
          bodyLeft = length;
          if (bodyLeft === 0) [c.phase, c.since] = ["idle", performance.now()];
        }
      }
      // The client has finished sending; let the backend answer what it has, then close.
      if (c.backend && headLength === 0 && bodyLeft === 0) await c.backend.closeWrite();
      else c.close();
    } catch (error) {
      // A refusal is answered only where nothing else can be in flight on the connection.
      if (error instanceof Refusal && !c.backend && !c.closed) {
        await writeAll(c.conn, errorResponse(error.status, error.message)).catch(() => {});
      }
      c.close();
    }
    await pumping;
  }

  function accept(conn: Deno.TcpConn): void {
    if (open.size >= maxConnections) {
      // The oldest connection that has not sent a whole request is the best guess at a slow
      // client, and dropping it cannot cut a response short.
      const victim = [...open.keys()].find((c) => !c.served && !c.closed);
      if (victim) victim.close();
      else {
        conn.close();
        return;
      }
    }
    try {
      conn.setNoDelay(true);
    } catch {
      // Closed already by its client.
    }
    const c = new Connection(conn);
    open.set(c, serveConnection(c).finally(() => open.delete(c)));
  }

  const tick = Math.min(1000, Math.max(5, Math.min(requestTimeout, idleTimeout) / 10));
  const sweeper = setInterval(() => {
    const now = performance.now();
    for (const c of open.keys()) {
      if (now > c.deadline(requestTimeout, idleTimeout)) c.close();
    }
  }, tick);

  let stopping = false;
  const accepting = (async () => {
    while (!stopping) {
      try {
        accept(await listener.accept());
      } catch (error) {
        if (stopping || error instanceof Deno.errors.BadResource) break;
        // Out of file descriptors or a connection reset before accept: back off briefly.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  })();

  let markDone!: () => void;
  const done = new Promise<void>((resolve) => markDone = resolve);
  let finished: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    finished ??= (async () => {
      stopping = true;
      listener.close();
      await accepting;
      for (const c of open.keys()) if (!c.backend) c.close();
      // Deno.serve finishes requests in flight and closes idle keep-alive connections.
      await backend.shutdown();
      for (const c of open.keys()) c.close();
      await Promise.allSettled(open.values());
      clearInterval(sweeper);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      markDone();
    })();
    return finished;
  };
  if (options.signal?.aborted) shutdown();
  else options.signal?.addEventListener("abort", () => shutdown(), { once: true });

  options.onListen?.(listener.addr);
  return {
    addr: listener.addr,
    get finished() {
      return done;
    },
    shutdown,
    [Symbol.asyncDispose]: shutdown,
  };
}
