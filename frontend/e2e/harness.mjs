// Shared harness of the browser journeys (*.journey.mjs, run one after another by
// scripts/e2e.sh against one real platform process): a headless Debian Chromium, numbered
// steps with a screenshot on failure (and of every step with E2E_SCREENSHOTS=always), and
// a run that fails on any console error, uncaught page error or HTTP 5xx.
//
// Env: E2E_BASE_URL (required), CHROMIUM_PATH (/usr/bin/chromium), E2E_SCREENSHOTS=always.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const BASE = process.env.E2E_BASE_URL;
if (!BASE) {
  console.error("E2E_BASE_URL is required (scripts/e2e.sh sets it)");
  process.exit(2);
}
export const OUT = new URL("../test-output/", import.meta.url).pathname;
export const ALWAYS_SHOOT = process.env.E2E_SCREENSHOTS === "always";
export const TIMEOUT = 15_000;
mkdirSync(OUT, { recursive: true });

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** A unique suffix for e-mail addresses and names created by one run. */
export function uniqueSuffix() {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** GET a public JSON endpoint of the platform (for picking test data, not for assertions). */
export async function api(path, init) {
  const response = await fetch(new URL(`/api/v1${path}`, BASE), init);
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${path}: ${response.status}`);
  return response.json();
}

/**
 * Start a journey: `name` prefixes its screenshots. Returns the browser context, its first
 * page, `step(name, body)`, `watch(page)` for extra pages or contexts, and `finish(error)`
 * which closes the browser, prints the summary and exits with the journey's status.
 */
export async function startJourney(name, { locale = "id-ID" } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), `pe-e2e-${name}-`));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 860 },
    locale,
    timeout: 60_000,
  });
  context.setDefaultTimeout(TIMEOUT);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];

  function watch(target) {
    target.on("console", (message) => {
      if (message.type() === "error") {
        problems.push(`console error: ${message.text()} (${message.location().url ?? "?"})`);
      }
    });
    target.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    target.on("response", (response) => {
      if (response.status() >= 500) problems.push(`HTTP ${response.status()} ${response.url()}`);
    });
  }
  watch(page);

  let stepNumber = 0;
  let passed = 0;
  async function step(title, body) {
    stepNumber += 1;
    const slug = title.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
    const label = `${name}-${String(stepNumber).padStart(2, "0")}-${slug}`;
    const before = problems.length;
    try {
      await body();
      if (problems.length > before) throw new Error(problems.slice(before).join("\n"));
      if (ALWAYS_SHOOT) await page.screenshot({ path: join(OUT, `${label}.png`), fullPage: true });
      passed += 1;
      console.log(`  ✓ ${title}`);
    } catch (error) {
      console.log(`  ✗ ${title}`);
      try {
        await page.screenshot({ path: join(OUT, `${label}-FAILED.png`), fullPage: true });
        console.log(`    screenshot: test-output/${label}-FAILED.png (url ${page.url()})`);
      } catch {
        // the page itself is gone; the error below says why
      }
      throw error;
    }
  }

  async function screenshot(file) {
    await page.screenshot({ path: join(OUT, `${name}-${file}.png`), fullPage: true });
  }

  async function finish(error) {
    let exitCode = 0;
    if (error) {
      exitCode = 1;
      console.error(`\nE2E failed: ${error instanceof Error ? error.stack ?? error.message : error}`);
    }
    await context.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
    if (exitCode === 0 && problems.length) {
      exitCode = 1;
      console.error(`\nE2E failed: ${problems.join("\n")}`);
    }
    console.log(`\ne2e ${name}: ${passed} passed, ${exitCode ? 1 : 0} failed`);
    process.exit(exitCode);
  }

  console.log(`E2E ${name} journey against ${BASE}`);
  return { context, page, problems, step, watch, screenshot, finish };
}

// --- e-mails: the console backend writes every message as an .eml file -----------------------

function outbox() {
  const dir = process.env.E2E_OUTBOX_DIR;
  if (!dir) throw new Error("E2E_OUTBOX_DIR is required (scripts/e2e.sh sets it)");
  return dir;
}

/** The decoded text of an .eml file (quoted-printable soft breaks and escapes undone). */
function decode(eml) {
  return eml
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** Wait for an e-mail to `to` whose text has a link to `/page?token=…`; returns the URL. */
export async function linkFromOutbox(to, page, { after = 0 } = {}) {
  const pattern = new RegExp(`https?://[^\\s"<>]*/${page}\\?token=[A-Za-z0-9_-]+`);
  for (let i = 0; i < 60; i += 1) {
    let files = [];
    try {
      files = readdirSync(outbox()).filter((name) => name.endsWith(".eml"));
    } catch {
      // the folder appears with the first e-mail
    }
    for (const name of files) {
      const text = decode(readFileSync(join(outbox(), name), "latin1"));
      const match = text.includes(to) ? text.match(pattern) : null;
      if (match && !after) return match[0];
      if (match && after) after -= 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no e-mail to ${to} with a /${page} link arrived in ${outbox()}`);
}

/** Open an e-mailed link on this platform (the link's host is PUBLIC_BASE_URL). */
export function onPlatform(link) {
  const url = new URL(link);
  return new URL(`${url.pathname}${url.search}`, BASE).href;
}

