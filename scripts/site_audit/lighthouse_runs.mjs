// Lighthouse runs for the site audit (scripts/site_audit/lighthouse.py), in one node
// process and one Chromium: launching both anew for every run cost about as long as
// the run itself. Lighthouse still starts each run cold (it clears the cache and
// storage of the origin before loading the page), as its own CLI does.
//
// The first run of each page and preset scores every category; the others score
// performance alone. Accessibility, best practices and SEO do not vary from run to
// run, and their gatherers (every link's event listeners, axe) took a third of a run.
//
// Input (stdin, JSON): {"chromePath": str, "chromeFlags": [str], "categories": [str],
//   "runs": int, "targets": [{"url": str, "preset": "desktop" | "mobile"}]}
// Output (stdout): one JSON line per run, in order:
//   {"url", "preset", "run", "categories": {id: {score, auditRefs: [{id, weight}]}},
//    "audits": {id: {score, title}}} or, when a run failed, {"url", "preset", "run", "error"}.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

const input = JSON.parse(await new Promise((resolve, reject) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => { text += chunk; });
  process.stdin.on("end", () => resolve(text));
  process.stdin.on("error", reject);
}));

// Only what the audit reads: a full report is about 1 MB a run.
function summary(lhr) {
  const categories = {};
  for (const [id, cat] of Object.entries(lhr.categories)) {
    categories[id] = {
      score: cat.score,
      auditRefs: cat.auditRefs.map((ref) => ({ id: ref.id, weight: ref.weight })),
    };
  }
  const audits = {};
  for (const [id, audit] of Object.entries(lhr.audits)) {
    audits[id] = { score: audit.score, title: audit.title };
  }
  return { categories, audits };
}

const chrome = await chromeLauncher.launch({
  chromePath: input.chromePath,
  chromeFlags: input.chromeFlags,
  logLevel: "error",
});
try {
  for (const target of input.targets) {
    for (let run = 1; run <= input.runs; run++) {
      const flags = {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: run === 1 ? input.categories : ["performance"],
        disableFullPageScreenshot: true,
      };
      // Lighthouse's default configuration is the mobile one.
      const config = target.preset === "desktop" ? desktopConfig : undefined;
      let line;
      try {
        const result = await lighthouse(target.url, flags, config);
        if (result?.lhr?.runtimeError) {
          line = { error: `${result.lhr.runtimeError.code}: ${result.lhr.runtimeError.message}` };
        } else {
          line = summary(result.lhr);
        }
      } catch (error) {
        line = { error: String(error?.stack || error) };
      }
      process.stdout.write(
        JSON.stringify({ url: target.url, preset: target.preset, run, ...line }) + "\n",
      );
    }
  }
} finally {
  await chrome.kill();
}
