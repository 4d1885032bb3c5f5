import assert from "node:assert/strict";
import { SITE_DIR } from "./_paths.ts";

const unix = Deno.build.os !== "windows";

/** Reads lines from a stream until one matches, or the stream ends (then `undefined`). */
async function waitForLine(
  lines: ReadableStreamDefaultReader<string>,
  pattern: RegExp,
  seen: string[],
): Promise<RegExpExecArray | undefined> {
  let buffered = "";
  while (true) {
    const { value, done } = await lines.read();
    if (done) return undefined;
    buffered += value;
    let newline;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      seen.push(line);
      const match = pattern.exec(line);
      if (match) return match;
    }
  }
}

/** Reads lines to the end of the stream. */
async function drain(
  lines: ReadableStreamDefaultReader<string>,
  seen: string[] = [],
): Promise<void> {
  await waitForLine(lines, /(?!)/, seen);
}

/** Whether anything answers on the port. */
async function answers(port: number): Promise<boolean> {
  try {
    const connection = await Deno.connect({ hostname: "127.0.0.1", port });
    connection.close();
    return true;
  } catch {
    return false;
  }
}

async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits, up to a minute, for the site's line saying where it listens on the child's stdout;
 * returns the port and the reader, which the caller drains.
 */
async function listening(
  child: Deno.ChildProcess,
): Promise<{ port: number; lines: ReadableStreamDefaultReader<string> }> {
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const seen: string[] = [];
  const match = await within(
    60_000,
    waitForLine(lines, /^nonlin docs on http:\/\/127\.0\.0\.1:(\d+)\/$/, seen),
    "the site to listen",
  );
  assert.ok(match, seen.join("\n"));
  return { port: Number(match[1]), lines };
}

function startArgs(...flags: string[]): string[] {
  return ["run", "-A", `${SITE_DIR}/start.ts`, "--no-build", ...flags];
}

Deno.test({
  name: "start.ts serves the site and stops it on SIGTERM, exiting 0",
  ignore: !unix,
  async fn() {
    const child = new Deno.Command(Deno.execPath(), {
      args: startArgs("--port=0"),
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const { port, lines } = await listening(child);
    const response = await fetch(`http://127.0.0.1:${port}/`);
    await response.body?.cancel();
    assert.equal(response.status, 200);
    child.kill("SIGTERM");
    await drain(lines);
    assert.equal((await child.status).code, 0);
  },
});

Deno.test({
  name: "start.ts says which port is taken and how to choose another",
  ignore: !unix,
  async fn() {
    const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      const { code, stderr } = await new Deno.Command(Deno.execPath(), {
        args: startArgs(`--port=${taken.addr.port}`),
        stdout: "null",
        stderr: "piped",
      }).output();
      assert.equal(code, 1);
      assert.match(
        new TextDecoder().decode(stderr),
        new RegExp(
          `Cannot listen on 127\\.0\\.0\\.1:${taken.addr.port}: the port is in use\\. ` +
            `Choose another with --port=N or PORT=N`,
        ),
      );
    } finally {
      taken.close();
    }
  },
});

Deno.test({
  // As `npx deno task start`: npx, then a shell, then `deno task`, then start.ts and the server.
  // Killing npx signals none of the others; here the shell plays `deno task` and is killed.
  name: "the site stops when the process that launched it is killed",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const launcher = new Deno.Command("sh", {
      // Not `exec`: the shell stays, as the launcher between this test and start.ts.
      args: ["-c", `"$0" "$@"; echo "unreachable"`, Deno.execPath(), ...startArgs("--port=0")],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const { port, lines } = await listening(launcher);
    const errors = launcher.stderr.pipeThrough(new TextDecoderStream()).getReader();
    assert.ok(await answers(port));
    launcher.kill("SIGKILL");
    await launcher.status;
    // start.ts and the server hold the pipes too: both ends closing means both have exited.
    const errorLines: string[] = [];
    await within(
      15_000,
      Promise.all([drain(lines), drain(errors, errorLines)]),
      "the site to stop",
    );
    assert.ok(!(await answers(port)), `port ${port} still answers`);
    assert.ok(
      errorLines.some((line) =>
        /^Stopping: process \d+, which started the site, has exited$/.test(line)
      ),
      errorLines.join("\n"),
    );
  },
});

Deno.test({
  name: "the server stops when start.ts itself is killed outright",
  ignore: !unix,
  async fn() {
    const child = new Deno.Command(Deno.execPath(), {
      args: startArgs("--port=0"),
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const { port, lines } = await listening(child);
    const errors = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    child.kill("SIGKILL");
    await child.status;
    const errorLines: string[] = [];
    await within(
      15_000,
      Promise.all([drain(lines), drain(errors, errorLines)]),
      "the server to stop",
    );
    assert.ok(!(await answers(port)));
    assert.ok(
      errorLines.includes("Stopping: the process that started the site exited"),
      errorLines.join("\n"),
    );
  },
});
