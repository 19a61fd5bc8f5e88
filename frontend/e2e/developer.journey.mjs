// The developer journey in a real Chromium against a real platform process (see scripts/e2e.sh):
// a learner becomes a developer from the UI and copies the key shown once, creates a second
// key, revokes the first (an API call with it then answers 401), analyses the sample dataset
// (forecast chart with bands and the seasonal-naive baseline, category switch, CSV and SVG
// downloads), runs a > 5 MB upload as a background job and watches its progress bar reach the
// result, deletes an analysis from the history, and reads the API guide. Every developer page
// is screenshotted into test-output/; no English server text may appear in the Indonesian UI.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  BASE,
  expect,
  linkFromOutbox,
  onPlatform,
  OUT,
  startJourney,
  uniqueSuffix,
} from "./harness.mjs";

// English `detail`s the platform sends; the Indonesian UI must show translations instead.
const ENGLISH_DETAILS = [
  "An account with this e-mail",
  "The password does not meet the policy",
  "The current password is",
  "active API keys, the maximum",
  "The API key is invalid",
  "Not authenticated",
  "No date column found",
  "No value column found",
  "The request is invalid",
  "Send multipart/form-data",
  "was not found",
  "An unexpected error occurred",
];

const { context, page, problems, step, screenshot, finish } = await startJourney("developer");
await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE });

const unique = uniqueSuffix();
const dev = {
  name: "Budi Santoso",
  email: `budi.${unique}@example.com`,
  password: `Ekspor-${unique}-Kopi!`,
};
const portalNav = () => page.getByRole("navigation", { name: "Menu portal developer" });
const keys = {};
let firstAnalysisId = null;

async function expectIndonesianOnly() {
  const text = await page.locator("body").innerText();
  for (const english of ENGLISH_DETAILS) {
    expect(!text.includes(english), `English server text on ${page.url()}: "${english}"`);
  }
}

/**
 * Chromium logs every 4xx answer as a console error ("Failed to load resource"). A step that
 * provokes one on purpose accepts exactly that one (status and path); anything else still fails.
 */
function acceptFailedResource(status, pathPart) {
  const index = problems.findIndex(
    (problem) =>
      problem.includes("Failed to load resource") &&
      problem.includes(`status of ${status}`) &&
      problem.includes(pathPart),
  );
  expect(index >= 0, `expected a ${status} from ${pathPart} in the console`);
  problems.splice(index, 1);
}

async function clipboard() {
  return page.evaluate(() => navigator.clipboard.readText());
}

/** Copy the key from the open key dialog, confirm it was stored, close the dialog. */
async function takeKeyFromDialog() {
  const dialog = page.getByRole("dialog");
  await dialog.getByText("hanya ditampilkan sekali").waitFor();
  await dialog.getByText(/^Authorization: ApiKey pe_live_/).waitFor();
  await dialog.getByText(/^X-API-Key: pe_live_/).waitFor();
  await dialog.getByRole("button", { name: "Salin kunci" }).click();
  await dialog.getByRole("button", { name: "Tersalin" }).waitFor();
  const key = await clipboard();
  expect(/^pe_live_[0-9A-Za-z]+_[0-9A-Za-z]+$/.test(key), `copied text is not a key: ${key}`);
  expect((await dialog.innerText()).includes(key), "the copied key is not the one shown");
  await dialog.getByLabel("Saya sudah menyimpan kunci ini").check();
  await dialog.getByRole("button", { name: "Selesai" }).click();
  await dialog.waitFor({ state: "detached" });
  expect(!(await page.locator("body").innerText()).includes(key), "the secret is still shown");
  return key;
}

async function callApi(key) {
  const response = await fetch(new URL("/api/v1/analytics/analyses?limit=1", BASE), {
    headers: { "X-API-Key": key },
  });
  return response.status;
}

/** A > 5 MB CSV (beyond ANALYSIS_BACKGROUND_THRESHOLD_BYTES): many shipments per month. */
function bigCsv() {
  const lines = ["tanggal,komoditas,nilai,keterangan"];
  const goods = ["Kopi", "Kakao", "Teh", "Lada"];
  const note = "pengiriman kontainer 20 kaki melalui Tanjung Priok dengan dokumen PEB dan COO lengkap";
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let year = 2011; year <= 2024; year += 1) {
    for (let month = 1; month <= 12; month += 1) {
      const date = `${year}-${String(month).padStart(2, "0")}-${String(1 + Math.floor(random() * 27)).padStart(2, "0")}`;
      for (const [g, good] of goods.entries()) {
        for (let n = 0; n < 80; n += 1) {
          const value = (100 + g * 40) * (1 + (year - 2011) * 0.03) * (1 + 0.2 * Math.sin(month)) * (0.5 + random());
          lines.push(`${date},${good},${value.toFixed(2)},${note} nomor ${n}`);
        }
      }
    }
  }
  const path = join(OUT, "developer-besar.csv");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

try {
  // (Registering a taken address answers like a new one since issue 11: no enumeration.)
  await step("a new learner registers", async () => {
    await page.goto(`${BASE}/register`);
    await page.getByLabel("Nama lengkap").fill(dev.name);
    await page.getByLabel("Email").fill(dev.email);
    await page.getByLabel(/^Kata sandi/).fill(dev.password);
    await expectIndonesianOnly();
    await page.getByRole("button", { name: "Daftar", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Katalog kursus" }).waitFor();
  });

  await step("the portal asks to confirm the address; the welcome e-mail's link does it", async () => {
    await page.goto(`${BASE}/developer`);
    await page.getByTestId("verify-notice").waitFor();
    await page.goto(onPlatform(await linkFromOutbox(dev.email, "verify-email")));
    await page.getByTestId("email-verified").waitFor();
  });

  await step("the learner sees what the developer portal offers and upgrades in one click", async () => {
    await page.goto(`${BASE}/developer`);
    await page.getByRole("heading", { name: "Jadi developer" }).waitFor();
    await page.getByText("Apa itu kunci API?").waitFor();
    await page.getByText(/1\.000 permintaan per jam/).waitFor();
    await screenshot("01-upgrade");
    await page.getByRole("button", { name: "Jadi developer sekarang" }).click();
    keys.first = await takeKeyFromDialog();
    await portalNav().getByRole("link", { name: "Kunci API" }).waitFor();
    expect((await callApi(keys.first)) === 200, "the first key does not work");
    await screenshot("02-home");
  });

  await step("creates a second key", async () => {
    await portalNav().getByRole("link", { name: "Kunci API" }).click();
    await page.getByRole("heading", { name: "Kunci Anda" }).waitFor();
    await page.getByLabel("Nama kunci").fill("Server produksi");
    await page.getByRole("combobox", { name: "Masa berlaku" }).click();
    await page.getByRole("option", { name: "90 hari" }).click();
    await page.getByRole("button", { name: "Buat kunci" }).click();
    keys.second = await takeKeyFromDialog();
    expect(keys.second !== keys.first, "the second key equals the first");
    const rows = page.locator("tbody tr");
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 2);
    expect((await rows.count()) === 2, "the keys table does not list two keys");
  });

  await step("revokes the first key after a confirmation naming it; it then answers 401", async () => {
    await page.getByRole("button", { name: "Cabut Default" }).click();
    const dialog = page.getByRole("dialog", { name: "Cabut kunci “Default”?" });
    await dialog.getByText(/Kunci “Default” \(pe_live_/).waitFor();
    await dialog.getByRole("button", { name: "Ya, cabut “Default”" }).click();
    await page.getByText("Kunci “Default” sudah dicabut.").waitFor();
    await page.getByText(/^Dicabut /).waitFor();
    expect((await callApi(keys.first)) === 401, "the revoked key still works");
    expect((await callApi(keys.second)) === 200, "the second key does not work");
    await screenshot("03-keys");
    await expectIndonesianOnly();
  });

  await step("a file without the needed columns gets an Indonesian message", async () => {
    await portalNav().getByRole("link", { name: "Analitik" }).click();
    await page.getByLabel("Atau tempel CSV").fill("foo;bar\n1;2\n");
    await page.getByRole("button", { name: "Pakai teks ini" }).click();
    await page.getByRole("button", { name: "Analisis sekarang" }).click();
    // The first analysis starts the platform's worker processes: allow for a cold start.
    await page.getByText("Kolom yang diperlukan tidak ditemukan").waitFor({ timeout: 120_000 });
    await expectIndonesianOnly();
    acceptFailedResource(422, "/api/v1/analytics/analyze");
    await page.getByRole("button", { name: "Ganti data" }).click();
  });

  await step("analyses the sample dataset: cleaning report and forecast with bands and baseline", async () => {
    await page.getByRole("button", { name: "Coba dengan data contoh" }).click();
    await page.getByTestId("selected-file").getByText(/ekspor-indonesia-bulanan\.csv/).waitFor();
    await screenshot("04-workbench");
    await page.getByRole("button", { name: "Analisis sekarang" }).click();
    await page.waitForURL(/\/developer\/analyses\/[0-9a-f-]{36}$/, { timeout: 120_000 });
    firstAnalysisId = page.url().split("/").pop();
    const forecast = page.getByTestId("chart-forecast");
    await forecast.waitFor({ timeout: 120_000 });
    const report = await page.getByTestId("cleaning-report").innerText();
    expect(/2 baris rusak dilewati \(baris \d+, \d+\)/.test(report), `cleaning report: ${report}`);
    await forecast.locator(".recharts-area").first().waitFor();
    expect((await forecast.locator(".recharts-area").count()) >= 2, "the 80/95 % bands are missing");
    for (const legend of ["Interval 80 %", "Interval 95 %", "Ramalan", "Naif musiman"]) {
      await forecast.getByText(legend, { exact: true }).first().waitFor();
    }
    const baselinePath = await forecast.locator(".recharts-line path.recharts-curve").count();
    expect(baselinePath >= 3, `forecast chart draws ${baselinePath} lines (actual, forecast, baseline)`);
    const accuracy = await page.getByTestId("forecast-accuracy").innerText();
    expect((accuracy.match(/MASE \d/g) ?? []).length === 2, `MASE figures: ${accuracy}`);
    await page.getByTestId("chart-series").locator(".recharts-line").first().waitFor();
    await page.getByTestId("cross-table").waitFor();
    await screenshot("05-result");
    await expectIndonesianOnly();
  });

  await step("switches category and sorts the comparison table", async () => {
    await page.getByRole("combobox", { name: "Kategori" }).click();
    await page.getByRole("option", { name: "Kopi" }).click();
    await page.getByRole("heading", { name: "Ringkasan: Kopi" }).waitFor();
    await page.getByTestId("chart-forecast").getByText("Peramalan", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Urutkan menurut Pangsa" }).click();
    const firstRow = await page.getByTestId("cross-table").locator("tbody tr").first().innerText();
    expect(firstRow.includes("Batu bara"), `largest share first: ${firstRow}`);
  });

  await step("downloads the CSV export and the forecast chart as SVG", async () => {
    const [csv] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Unduh CSV" }).click(),
    ]);
    const csvPath = join(OUT, "developer-export.csv");
    await csv.saveAs(csvPath);
    const text = readFileSync(csvPath, "utf8");
    for (const needle of ["Kopi", "Batu bara", "Minyak kelapa sawit"]) {
      expect(text.includes(needle), `the CSV export lacks ${needle}`);
    }
    expect(text.split("\n").length > 50, "the CSV export is too short");
    const [svg] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Unduh grafik Peramalan sebagai SVG" }).click(),
    ]);
    const svgPath = join(OUT, "developer-forecast.svg");
    await svg.saveAs(svgPath);
    const svgText = readFileSync(svgPath, "utf8");
    expect(svgText.includes("<svg"), "the chart download is not an SVG");
  });

  await step("the result is readable at 375 px", async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByTestId("chart-forecast").locator(".recharts-area").first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow <= 1, `the page scrolls sideways by ${overflow}px at 375 px`);
    await screenshot("06-result-375");
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  await step("a > 5 MB upload runs as a background job; the progress bar reaches the result", async () => {
    const path = bigCsv();
    await portalNav().getByRole("link", { name: "Analitik" }).click();
    await page.locator('input[type="file"]').setInputFiles(path);
    await page.getByTestId("selected-file").waitFor();
    await page.getByRole("button", { name: "Analisis sekarang" }).click();
    await page.getByTestId("job-status").waitFor({ timeout: 60_000 });
    // At 0 % (still queued) the bar has no width, so wait for it to exist, not to be visible.
    await page.getByRole("progressbar", { name: "Kemajuan analisis" }).waitFor({ state: "attached" });
    await screenshot("07-job");
    await page.getByTestId("chart-series").waitFor({ timeout: 180_000 });
    await page.getByRole("heading", { name: "Hasil analisis" }).waitFor();
  });

  await step("the history lists both analyses; one is deleted after a confirmation", async () => {
    await portalNav().getByRole("link", { name: "Riwayat" }).click();
    const rows = page.getByTestId("history-table").locator("tbody tr");
    await rows.nth(1).waitFor();
    expect((await rows.count()) === 2, "the history does not list two analyses");
    await screenshot("08-history");
    const row = page.locator(`tr[data-analysis-id="${firstAnalysisId}"]`);
    await row.getByRole("link", { name: "Buka" }).click();
    await page.getByTestId("chart-forecast").waitFor();
    await page.goBack();
    await row.getByRole("button", { name: "Hapus" }).click();
    await page.getByRole("dialog", { name: "Hapus analisis ini?" }).getByRole("button", { name: "Ya, hapus" }).click();
    await page.getByText("Analisis dihapus.").waitFor();
    await row.waitFor({ state: "detached" });
    expect((await rows.count()) === 1, "the deleted analysis is still listed");
    const gone = await fetch(new URL(`/api/v1/analytics/analyses/${firstAnalysisId}`, BASE), {
      headers: { "X-API-Key": keys.second },
    });
    expect(gone.status === 404, `the deleted analysis answers ${gone.status}`);
  });

  await step("the API guide uses the key prefix and links to the docs", async () => {
    await portalNav().getByRole("link", { name: "Panduan API" }).click();
    await page.getByRole("heading", { name: "Panduan API" }).first().waitFor();
    const prefix = keys.second.slice(0, 12);
    await page.getByText(new RegExp(`KEY="${prefix}`)).first().waitFor();
    await page.getByRole("link", { name: "Dokumentasi interaktif (/docs)" }).waitFor();
    await page.getByRole("link", { name: "Berkas OpenAPI (JSON)" }).waitFor();
    await page.getByRole("contentinfo").getByRole("link", { name: "Dokumentasi API" }).waitFor();
    await screenshot("09-guide");
    await expectIndonesianOnly();
  });
  await step("a quick analysis made with the API key opens from the history", async () => {
    const csv = readFileSync(new URL("../public/samples/ekspor-indonesia-bulanan.csv", import.meta.url));
    const response = await fetch(new URL("/api/v1/analytics/quick-analysis", BASE), {
      method: "POST",
      headers: { "X-API-Key": keys.second, "Content-Type": "text/csv" },
      body: csv,
    });
    expect(response.status === 200, `quick analysis via the API: ${response.status}`);
    const { id } = await response.json();
    await portalNav().getByRole("link", { name: "Riwayat" }).click();
    await page.locator(`tr[data-analysis-id="${id}"]`).getByRole("link", { name: "Buka" }).click();
    await page.getByRole("heading", { name: /^Analisis cepat/ }).waitFor();
    await page.getByRole("cell", { name: "Batu bara" }).waitFor();
    await expectIndonesianOnly();
  });
} catch (error) {
  await finish(error);
}
await finish();
