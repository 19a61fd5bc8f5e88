// The admin dashboard journey in a real Chromium against a real platform process (see
// scripts/e2e.sh): a learner (through the API) enrols in a course and completes its first
// lesson; the admin signs in, opens the analytics dashboard, sees the platform figures, picks
// that course and finds the learner in the drop-off funnel; then checks the page at 375 px
// and in English. Screenshots: test-output/dashboard-*.png.
//
// Env: see harness.mjs; E2E_ADMIN_EMAIL and E2E_ADMIN_PASSWORD (the seeded admin).
import { api, expect, startJourney, uniqueSuffix } from "./harness.mjs";

const ADMIN_EMAIL = process.env.E2E_ADMIN_EMAIL;
const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD;
if (!ADMIN_EMAIL || !ADMIN_PASSWORD) {
  console.error("E2E_ADMIN_EMAIL and E2E_ADMIN_PASSWORD are required (scripts/e2e.sh sets them)");
  process.exit(2);
}

/** A learner makes some progress through the public API, so the funnel has someone in it. */
async function learnerActivity() {
  const unique = uniqueSuffix();
  const password = `Ekspor-${unique}-Aman!`;
  const email = `dasbor.${unique}@example.com`;
  const json = { "Content-Type": "application/json" };
  await api("/auth/register", {
    method: "POST",
    headers: json,
    body: JSON.stringify({ email, password, full_name: "Dewi Lestari", locale: "id" }),
  });
  const { access_token: token } = await api("/auth/login", {
    method: "POST",
    headers: json,
    body: JSON.stringify({ email, password }),
  });
  const auth = { Authorization: `Bearer ${token}` };
  const catalogue = await api("/courses?limit=100&sort=title");
  for (const summary of catalogue.items) {
    const course = await api(`/courses/${summary.slug}`);
    const first = course.sections.flatMap((s) => s.lessons)[0];
    if (!first || first.kind === "quiz") continue;
    await api(`/courses/${course.id}/enroll`, { method: "POST", headers: auth });
    await api(`/lessons/${first.id}`, { headers: auth });
    await api(`/lessons/${first.id}/complete`, { method: "POST", headers: auth });
    return { course, first };
  }
  throw new Error("the demo seed has no course that starts with a text or video lesson");
}

const { page, step, screenshot, finish } = await startJourney("dashboard");

try {
  const { course, first } = await learnerActivity();
  console.log(`  course: ${course.title} (first lesson "${first.title}")`);

  await step("the admin signs in and opens the analytics dashboard", async () => {
    await page.goto(new URL("/login", process.env.E2E_BASE_URL).href);
    await page.getByLabel("Email").fill(ADMIN_EMAIL);
    await page.getByLabel(/^Kata sandi/).fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Masuk", exact: true }).click();
    await page.getByRole("banner").getByRole("link", { name: "Admin" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Dasbor Analitik" }).waitFor();
  });

  await step("platform figures and charts are shown", async () => {
    const platform = page.getByRole("region", { name: "Platform" });
    await platform.getByText("Total pengguna").waitFor();
    const enrolments = platform.locator("dl", { hasText: "Pendaftaran kursus" }).locator("dd");
    // Reports are cached for REPORTS_CACHE_SECONDS (30 s) per parameters and viewer: an
    // admin who opened the dashboard before this journey's enrolment (another journey did)
    // sees it within that window. Reload until it shows, for at most 45 s.
    let value = 0;
    for (let i = 0; i < 45 && value < 1; i += 1) {
      value = Number((await enrolments.innerText()).replace(/\D/g, ""));
      if (value >= 1) break;
      await page.waitForTimeout(1000);
      if (i % 5 === 4) {
        await page.reload();
        await platform.getByText("Total pengguna").waitFor();
      }
    }
    expect(value >= 1, `platform enrolments show ${value}`);
    await platform
      .getByRole("figure", { name: "Pengguna dan pembelajaran dari waktu ke waktu" })
      .locator("svg.recharts-surface")
      .first()
      .waitFor();
  });

  await step("picks the course and sees the drop-off funnel", async () => {
    // The searchable picker is an input labelled "Pilih kursus" (a combobox).
    const picker = page.getByPlaceholder("Cari judul kursus");
    await picker.click();
    await picker.fill(course.title);
    const option = page.getByRole("option", { name: course.title, exact: true });
    await option.waitFor({ state: "attached" });
    await picker.press("ArrowDown");
    await picker.press("Enter");
    await page.waitForURL((url) => url.searchParams.get("course") === course.id);
    const funnel = page.getByTestId("funnel-table");
    await funnel.waitFor();
    const firstRow = funnel.getByRole("row").nth(1);
    await firstRow.getByRole("rowheader", { name: `1. ${first.title}` }).waitFor();
    const reached = Number(await firstRow.getByRole("cell").first().innerText());
    expect(reached >= 1, `the funnel's first lesson shows ${reached} learners`);
    await page
      .getByRole("figure", { name: "Titik berhenti per pelajaran" })
      .locator("svg.recharts-surface")
      .first()
      .waitFor();
    await page.getByRole("heading", { name: "Tingkat kelulusan kuis" }).waitFor();
    await screenshot("course-funnel");
  });

  await step("downloads the completion report as CSV", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Unduh CSV: penyelesaian dan titik berhenti" }).click(),
    ]);
    expect(download.suggestedFilename().startsWith("completion-rates-"), "CSV file name");
  });

  await step("changes the granularity to month", async () => {
    await page
      .getByRole("radiogroup", { name: "Kelompokkan per" })
      .getByText("Bulan", { exact: true })
      .click();
    await page.waitForURL((url) => url.searchParams.get("granularity") === "month");
    await page.getByTestId("funnel-table").waitFor();
  });

  await step("is usable at 375 px and in English", async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow <= 1, `the page scrolls sideways by ${overflow}px at 375 px`);
    await screenshot("mobile-id");
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.getByRole("banner").getByRole("button", { name: "English" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Analytics dashboard" }).waitFor();
    await page.getByRole("heading", { name: "Drop-off per lesson" }).waitFor();
    await screenshot("english");
  });
} catch (error) {
  await finish(error);
}
await finish();
