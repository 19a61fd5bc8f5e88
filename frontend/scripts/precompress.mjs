// Write .br and .gz siblings of the compressible build files under dist/assets, so the platform
// (and nginx, through the platform) sends hashed assets compressed once at the best level
// instead of compressing them on every request.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const assets = new URL("../dist/assets/", import.meta.url).pathname;
const COMPRESSIBLE = /\.(js|mjs|css|svg|json|html|txt|map|woff)$/;
const MIN_BYTES = 1024;

let raw = 0;
let brotli = 0;
let count = 0;
for (const name of readdirSync(assets)) {
  if (!COMPRESSIBLE.test(name)) continue;
  const path = join(assets, name);
  const data = readFileSync(path);
  if (data.length < MIN_BYTES) continue;
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
  raw += data.length;
  brotli += br.length;
  count++;
}
console.log(
  `pre-compressed ${count} assets: ${(raw / 1000).toFixed(1)} kB -> ${(brotli / 1000).toFixed(1)} kB brotli`,
);
