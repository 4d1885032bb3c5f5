// Counts the test cases of a JUnit report (as `deno test --junit-path` writes it) and prints
// "N passed, N failed" for CI, which does not read Deno's own summary line. Exits 1 on a
// failure, or when the report holds no test at all.
import { readFileSync } from "node:fs";

const xml = readFileSync(process.argv[2], "utf8");
let passed = 0, failed = 0, skipped = 0;
for (const m of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
  const body = m[2] ?? "";
  if (/<(failure|error)\b/.test(body)) failed++;
  else if (/<skipped\b/.test(body)) skipped++;
  else passed++;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
