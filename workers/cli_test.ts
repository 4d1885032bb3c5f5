import assert from "node:assert/strict";
import { ACTIVATIONS, getActivation, randn } from "@nonlin/core";
import { helpText, main } from "./cli.ts";
import { decodeNpy, encodeNpy } from "./npy.ts";
import { handMade } from "./testdata/npy_fixtures.ts";

const CLI = new URL("./cli.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

async function capture(args: string[], isTerminal = false) {
  let stdout = "", stderr = "";
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTerminal,
  });
  return { code, stdout, stderr };
}

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

Deno.test("apply writes what core computes, with options from the registry", async () => {
  await withDir(async (dir) => {
    const x = randn([8, 5, 6], { seed: 4, dtype: "float64" });
    await Deno.writeFile(`${dir}/in.npy`, encodeNpy(x));
    const cases: [string[], string, Record<string, unknown>][] = [
      [["--approximate", "tanh"], "gelu", { approximate: "tanh" }],
      [["--approximate=sigmoid"], "gelu", { approximate: "sigmoid" }],
      [["--dim", "0"], "softmax", { dim: 0 }],
      [["--dim=-2", "--chunk-size", "64"], "logSoftmax", { dim: -2 }],
      [["--workers", "1", "--quiet"], "relu", {}],
    ];
    for (const [flags, op, options] of cases) {
      const { code, stderr } = await capture([op, `${dir}/in.npy`, `${dir}/out.npy`, ...flags]);
      assert.equal(code, 0, stderr);
      assert.equal(stderr, "", "nothing on stderr when it is not a terminal");
      const y = decodeNpy(await Deno.readFile(`${dir}/out.npy`));
      assert.deepEqual(y.data, getActivation(op).forward(x, options).data, `${op} ${flags}`);
    }
  });
});

Deno.test("apply draws a progress bar only on a terminal and not with --quiet", async () => {
  await withDir(async (dir) => {
    await Deno.writeFile(`${dir}/in.npy`, encodeNpy(randn([64, 64], { seed: 1 })));
    const drawn = await capture(
      ["tanh", `${dir}/in.npy`, `${dir}/out.npy`, "--chunk-size", "4K"],
      true,
    );
    assert.equal(drawn.code, 0);
    assert.match(drawn.stderr, /\[#+\] 100% 16\.1 KiB\/16\.1 KiB .*\/s/);
    const quiet = await capture(["tanh", `${dir}/in.npy`, `${dir}/out.npy`, "--quiet"], true);
    assert.equal(quiet.stderr, "");
  });
});

Deno.test("apply rejects malformed inputs with exit code 2 and writes nothing", async () => {
  await withDir(async (dir) => {
    const good = encodeNpy(randn([4, 4], { seed: 2 }));
    const header = (descr: string, order = "False") =>
      handMade(`{'descr': '${descr}', 'fortran_order': ${order}, 'shape': (4,), }`, {
        data: new Uint8Array(32),
      });
    const inputs: [string, Uint8Array, RegExp][] = [
      ["empty", new Uint8Array(), /magic/],
      ["not npy", new TextEncoder().encode("hello, world\n"), /magic/],
      ["truncated header", good.subarray(0, 30), /header/],
      ["truncated data", good.subarray(0, good.length - 4), /bytes of data, expected 64/],
      ["garbage dict", handMade("{'descr': '<f4', 'fortran_order': Nope}"), /expected a value/],
      ["int32", header("<i4"), /dtype '<i4'/],
      ["float16", header("<f2"), /dtype '<f2'/],
      ["big-endian", header(">f8"), /big-endian/],
      ["Fortran order", header("<f8", "True"), /Fortran order/],
      [
        "version 9",
        new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 9, 0, 0, 0, 0, 0]),
        /version 9/,
      ],
    ];
    for (const [what, bytes, message] of inputs) {
      await Deno.writeFile(`${dir}/in.npy`, bytes);
      const { code, stderr } = await capture(["relu", `${dir}/in.npy`, `${dir}/out.npy`]);
      assert.equal(code, 2, what);
      assert.match(stderr, message, what);
      assert.deepEqual(names(dir), ["in.npy"], `${what}: no output, no temporary file`);
    }
    // An existing output survives a failed run untouched.
    await Deno.writeTextFile(`${dir}/out.npy`, "keep me");
    assert.equal((await capture(["relu", `${dir}/in.npy`, `${dir}/out.npy`])).code, 2);
    assert.equal(await Deno.readTextFile(`${dir}/out.npy`), "keep me");
  });
});

Deno.test("apply rejects bad command lines with exit code 2", async () => {
  await withDir(async (dir) => {
    await Deno.writeFile(`${dir}/in.npy`, encodeNpy(randn([3, 4], { seed: 3 })));
    const io = [`${dir}/in.npy`, `${dir}/out.npy`];
    const cases: [string[], RegExp][] = [
      [[], /expected <op> <input> <output>/],
      [["relu", `${dir}/in.npy`], /2 arguments/],
      [["nope", ...io], /Cannot find activation "nope"/],
      [["relu", `${dir}/missing.npy`, `${dir}/out.npy`], /No such file|not found/i],
      [
        ["gelu", ...io, "--approximate", "fast"],
        /--approximate "fast": expected one of none, tanh/,
      ],
      [["gelu", ...io, "--approximate"], /without a value/],
      [["softmax", ...io, "--dim", "x"], /expected a number/],
      [["softmax", ...io, "--dim", "1.5"], /--dim "1.5": expected a finite integer/],
      [["softmax", ...io, "--dim", "5"], /dim 5/],
      [["relu", ...io, "--alpha", "1"], /--alpha with relu: expected one of --workers/],
      [["relu", ...io, "--workers", "0"], /--workers "0"/],
      [["relu", ...io, "--chunk-size", "lots"], /--chunk-size "lots"/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await capture(args);
      assert.equal(code, 2, args.join(" "));
      assert.match(stderr, message, args.join(" "));
      assert.deepEqual(names(dir), ["in.npy"]);
    }
  });
});

Deno.test("apply --help lists every op with its options", async () => {
  const { code, stdout } = await capture(["--help"]);
  assert.equal(code, 0);
  assert.equal(stdout, helpText());
  for (const a of ACTIVATIONS) {
    assert.match(stdout, new RegExp(`^  ${a.name} `, "m"));
    for (const spec of a.options) {
      const flag = spec.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      assert.ok(stdout.includes(`--${flag}`), `${a.name} --${flag}`);
    }
  }
});

function spawn(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, CLI, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test("the command exits by itself with its code", async () => {
  await withDir(async (dir) => {
    await Deno.writeFile(`${dir}/in.npy`, encodeNpy(randn([100, 10], { seed: 5 })));
    await Deno.writeFile(
      `${dir}/bad.npy`,
      handMade("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }"),
    );
    for (const [input, expected] of [["in.npy", 0], ["bad.npy", 2]] as const) {
      const child = spawn(["sigmoid", `${dir}/${input}`, `${dir}/out.npy`]);
      // A bound on a hang, not on speed.
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      const { code, stderr } = await child.output();
      clearTimeout(timer);
      assert.equal(code, expected, new TextDecoder().decode(stderr));
    }
    assert.deepEqual(names(dir), [".out.npy.nonlin.json", "bad.npy", "in.npy", "out.npy"]);
  });
});

for (const [signal, exit] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
  Deno.test(`${signal} removes the temporary file and exits ${exit}`, async () => {
    await withDir(async (dir) => {
      // Large enough, in small chunks, to be still running when the signal comes.
      await Deno.writeFile(`${dir}/in.npy`, encodeNpy(randn([1 << 21], { seed: 6 })));
      const child = spawn(["gelu", `${dir}/in.npy`, `${dir}/out.npy`, "--chunk-size", "16K"]);
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      try {
        while (!names(dir).some((n) => n.endsWith(".tmp"))) {
          await new Promise((r) => setTimeout(r, 5));
        }
        child.kill(signal);
        const { code, stderr } = await child.output();
        assert.equal(code, exit, new TextDecoder().decode(stderr));
        assert.match(new TextDecoder().decode(stderr), /interrupted/);
        assert.deepEqual(names(dir), ["in.npy"]);
      } finally {
        clearTimeout(timer);
      }
    });
  });
}

Deno.test("a run removes the temporary files killed runs left for its output, and only those", async () => {
  await withDir(async (dir) => {
    await Deno.writeFile(`${dir}/in.npy`, encodeNpy(randn([64], { seed: 7 })));
    // Writers that are gone: a pid beyond the kernel's limit (old and new names), another host's
    // (the command holds the output's lock, which every writer takes, so it is a killed run's).
    await Deno.writeTextFile(`${dir}/.out.npy.4194305.dead0000.tmp`, "left by SIGKILL");
    await Deno.writeTextFile(`${dir}/.out.npy.4194305@elsewhere.dead0000.tmp`, "left by SIGKILL");
    await Deno.writeTextFile(
      `${dir}/..out.npy.nonlin.json.4194305@x.dead0000.tmp`,
      "half a record",
    );
    // This process's own, another output's, and a file that only looks alike.
    await Deno.writeTextFile(`${dir}/.out.npy.${Deno.pid}.live0000.tmp`, "still writing");
    await Deno.writeTextFile(`${dir}/.other.npy.4194305.dead0000.tmp`, "another output's");
    await Deno.writeTextFile(`${dir}/.out.npy.npy.4194305.dead0000.tmp`, "out.npy.npy's");
    const { code } = await capture(["relu", `${dir}/in.npy`, `${dir}/out.npy`]);
    assert.equal(code, 0);
    assert.deepEqual(names(dir), [
      ".other.npy.4194305.dead0000.tmp",
      ".out.npy.4194305.dead0000.tmp".replace("4194305.dead0000", `${Deno.pid}.live0000`),
      ".out.npy.nonlin.json",
      ".out.npy.npy.4194305.dead0000.tmp",
      "in.npy",
      "out.npy",
    ]);
  });
});

Deno.test("an output that is a folder, or in a missing folder, is refused before any work", async () => {
  await withDir(async (dir) => {
    await Deno.writeFile(`${dir}/in.npy`, encodeNpy(randn([64], { seed: 8 })));
    await Deno.mkdir(`${dir}/taken.npy`);
    const a = await capture(["relu", `${dir}/in.npy`, `${dir}/taken.npy`]);
    assert.notEqual(a.code, 0);
    assert.match(a.stderr, /taken\.npy: it is a folder/);
    const b = await capture(["relu", `${dir}/in.npy`, `${dir}/nodir/out.npy`]);
    assert.notEqual(b.code, 0);
    assert.match(b.stderr, /the folder .*nodir does not exist/);
    assert.deepEqual(names(dir), ["in.npy", "taken.npy"]);
  });
});

Deno.test("relative paths are read from the folder deno task was called from (INIT_CWD)", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(`${dir}/sub`);
    await Deno.writeFile(`${dir}/sub/in.npy`, encodeNpy(randn([16], { seed: 9 })));
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--config", CONFIG, CLI, "relu", "in.npy", "out.npy"],
      cwd: dir, // where deno task would run it: not the caller's folder
      env: { INIT_CWD: `${dir}/sub` },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const { code, stderr } = await child.output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    assert.deepEqual(names(`${dir}/sub`), [".out.npy.nonlin.json", "in.npy", "out.npy"]);
  });
});

Deno.test("apply --help says what the command does with threshold's options: defaults, not required", async () => {
  const help = helpText();
  const lines = help.split("\n");
  const at = lines.findIndex((l) => l.startsWith("  threshold "));
  assert.match(lines[at], /here they default to 0/);
  assert.doesNotMatch(lines[at + 1] + lines[at + 2], /required/);
  // And the command indeed runs without them, as ReLU.
  await withDir(async (dir) => {
    const x = randn([20], { seed: 11 });
    await Deno.writeFile(`${dir}/in.npy`, encodeNpy(x));
    const { code } = await capture(["threshold", `${dir}/in.npy`, `${dir}/out.npy`]);
    assert.equal(code, 0);
    const y = decodeNpy(await Deno.readFile(`${dir}/out.npy`));
    assert.deepEqual(y.data, getActivation("relu").forward(x).data);
  });
});

Deno.test("no op option shares a name with the command's own flags", () => {
  const own = [...helpText().matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]);
  assert.ok(own.includes("shard") && own.includes("dry-run") && own.includes("workers"));
  for (const a of ACTIVATIONS) {
    for (const spec of a.options) {
      const flag = spec.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      assert.ok(!own.includes(flag), `${a.name} --${flag}`);
    }
  }
});
