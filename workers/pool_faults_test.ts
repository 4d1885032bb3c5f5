import assert from "node:assert/strict";

/**
 * Deno prints the uncaught error of a worker that crashes on stderr, even when the pool
 * handles it (`error: Uncaught (in worker …)`). The tests that crash workers on purpose live
 * in `testdata/faults.ts` and run here in a child process, whose output is shown only when
 * they fail: a passing test run prints nothing on stderr.
 */
Deno.test("worker crashes (uncaught errors, unhandled rejections, a module that fails to load) reject their runs and the pool goes on; run apart, their expected errors stay off this console", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", new URL("./testdata/faults.ts", import.meta.url).pathname],
    cwd: new URL("..", import.meta.url).pathname,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout), err = new TextDecoder().decode(stderr);
  assert.equal(code, 0, `the fault tests failed:\n${out}\n${err}`);
  assert.match(out, /ok \| 3 passed \| 0 failed/, out);
  // The errors it printed are the ones provoked on purpose.
  assert.match(
    err,
    /Uncaught \(in worker "@nonlin\/workers pool worker \d+"\) Error: worker crashed/,
  );
});
