// Print the gzip size of the JavaScript the browser loads before the first page renders (the
// entry chunk and its modulepreloads from dist/index.html), list the lazy chunks, and fail when
// the initial JS exceeds the budget or when a source map would be shipped.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

const dist = new URL("../dist/", import.meta.url).pathname;
const BUDGET = Number(process.env.INITIAL_JS_BUDGET_KB ?? 300) * 1000;

const html = readFileSync(join(dist, "index.html"), "utf8");
const initial = new Set();
for (const m of html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g)) initial.add(m[1]);
for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g)) initial.add(m[1]);
const css = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="\/([^"]+\.css)"/g)].map((m) => m[1]);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [relative(dist, path)];
  });
}
const files = walk(dist);
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

let problems = 0;
const maps = files.filter((f) => f.endsWith(".map"));
const mapRefs = files.filter(
  (f) => /\.(js|css)$/.test(f) && readFileSync(join(dist, f), "utf8").includes("sourceMappingURL="),
);
if (maps.length || mapRefs.length) {
  console.error(`source maps must not be shipped: ${[...maps, ...mapRefs].join(", ")}`);
  problems++;
}

let total = 0;
console.log("Initial JavaScript (gzip):");
for (const file of [...initial].sort()) {
  const size = gz(file);
  total += size;
  console.log(`  ${file.padEnd(48)} ${kb(size).padStart(10)}`);
}
console.log(`  ${"total".padEnd(48)} ${kb(total).padStart(10)}  (budget ${kb(BUDGET)})`);
for (const file of css) console.log(`Initial CSS (gzip): ${file} ${kb(gz(file))}`);
const lazy = files.filter((f) => f.endsWith(".js") && !initial.has(f));
const lazyTotal = lazy.reduce((sum, f) => sum + gz(f), 0);
console.log(`Lazy route chunks: ${lazy.length} files, ${kb(lazyTotal)} gzip in total`);

if (total > BUDGET) {
  console.error(`initial JS ${kb(total)} exceeds the ${kb(BUDGET)} budget`);
  problems++;
}
process.exit(problems ? 1 : 0);
