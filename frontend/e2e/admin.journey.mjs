// The admin journey in a real Chromium against a real platform process (see scripts/e2e.sh):
// an admin creates a course with a section, a text lesson (with a Markdown table) and a quiz,
// previews it as a learner would and publishes it; a learner in a separate browser finds it,
// enrols and passes the quiz, and is refused the admin console; the admin edits the published
// course (the learner does not see the edit until it is published), changes the learner's role
// and finds both changes in the audit viewer. Screenshots of every admin page are kept in
// test-output/ (admin-*.png); any console error fails the run.
//
// Env: see harness.mjs; E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD.
import { chromium } from "playwright-core";
import { BASE, CHROMIUM_ARGS, expect, startJourney, TIMEOUT, uniqueSuffix } from "./harness.mjs";

const ADMIN_EMAIL = process.env.E2E_ADMIN_EMAIL;
const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD;
if (!ADMIN_EMAIL || !ADMIN_PASSWORD) {
  console.error("E2E_ADMIN_EMAIL and E2E_ADMIN_PASSWORD are required (scripts/e2e.sh sets them)");
  process.exit(2);
}

const { page, problems, step, watch, screenshot, finish } = await startJourney("admin");
const unique = uniqueSuffix();
const course = {
  title: `Kursus Uji Admin ${unique}`,
  section: "Bagian Utama",
  text: "Tabel Dokumen Ekspor",
  quiz: "Kuis Dokumen",
  extra: "Pelajaran Tambahan",
};
const learner = {
  name: "Budi Santoso",
  email: `budi.${unique}@example.com`,
  password: `Ekspor-${unique}-Aman!`,
};
const TABLE_MD = [
  "Dokumen penting untuk ekspor:",
  "",
  "| Dokumen | Fungsi |",
  "| --- | --- |",
  "| PEB | Pemberitahuan pabean ekspor |",
  "| Invoice | Tagihan kepada pembeli |",
].join("\n");

const adminNav = () => page.getByRole("navigation", { name: "Navigasi konsol admin" });
const main = () => page.getByRole("main");
let courseUrl = "";
let browser;

async function openEditor() {
  await page.goto(courseUrl);
  await main().getByRole("heading", { level: 1, name: course.title }).waitFor();
}

async function addLesson(kind, title, fill) {
  await main().getByRole("link", { name: `+ ${kind}` }).first().click();
  await main().getByRole("heading", { level: 1, name: "Pelajaran baru" }).waitFor();
  await page.getByLabel("Judul pelajaran").fill(title);
  await fill();
  await main().getByRole("button", { name: "Tambahkan pelajaran" }).click();
  await main().getByRole("heading", { level: 1, name: course.title }).waitFor();
  await main().getByRole("link", { name: title, exact: true }).waitFor();
}

try {
  await step("the admin signs in and opens the admin console", async () => {
    await page.goto(`${BASE}/login?next=/admin`);
    await page.getByLabel("Email").fill(ADMIN_EMAIL);
    await page.getByLabel(/^Kata sandi/).fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Masuk", exact: true }).click();
    await adminNav().waitFor();
    for (const name of ["Dasbor", "Pengguna", "Kursus", "Audit", "E-mail"]) {
      await adminNav().getByRole("link", { name, exact: true }).waitFor();
    }
    await screenshot("page-dashboard");
  });

  await step("creates a draft course", async () => {
    await adminNav().getByRole("link", { name: "Kursus", exact: true }).click();
    await main().getByRole("heading", { level: 1, name: "Kursus" }).waitFor();
    await main().getByRole("table").waitFor();
    await screenshot("page-courses");
    await main().getByRole("link", { name: "Kursus baru" }).click();
    await page.getByLabel(/^Judul( \*)?$/).fill(course.title);
    await page.getByLabel("Ringkasan").fill("Kursus singkat yang dibuat oleh uji end-to-end admin.");
    await page.getByLabel("Deskripsi (Markdown)").fill("Belajar **dokumen ekspor** langkah demi langkah.");
    await page.getByLabel("Tag").fill("dokumen, uji");
    await screenshot("page-course-new");
    await main().getByRole("button", { name: "Buat kursus" }).click();
    await main().getByRole("heading", { level: 1, name: course.title }).waitFor();
    await page.waitForURL(/\/admin\/courses\/[0-9a-f-]{36}$/);
    courseUrl = page.url();
    await main().getByText("Draf", { exact: true }).first().waitFor();
  });

  await step("adds a section, a text lesson with a Markdown table and a quiz", async () => {
    await page.getByLabel("Judul bagian").fill(course.section);
    await main().getByRole("button", { name: "Tambah bagian" }).click();
    await main().getByRole("heading", { name: `1. ${course.section}` }).waitFor();

    await addLesson("Teks", course.text, async () => {
      await page.getByLabel("Isi pelajaran (Markdown)").fill(TABLE_MD);
      // The live preview renders the table with the learner view's sanitiser.
      const preview = page.getByTestId("markdown-preview");
      await preview.locator("table td", { hasText: "Pemberitahuan pabean ekspor" }).waitFor();
      await screenshot("page-lesson-text");
    });

    await addLesson("Kuis", course.quiz, async () => {
      // Saving an unfinished quiz shows every problem next to its field.
      await main().getByRole("button", { name: "Tambahkan pelajaran" }).click();
      await page.getByText("Perbaiki isian yang ditandai sebelum menyimpan.").waitFor();
      await page.getByText("Teks pertanyaan wajib diisi.").waitFor();
      await page.getByLabel("Teks pertanyaan").fill("Dokumen apa yang diajukan ke Bea Cukai untuk ekspor?");
      await page.getByLabel(/^Pilihan 1( \*)?$/).fill("PEB");
      await page.getByLabel(/^Pilihan 2( \*)?$/).fill("PIB");
      await page.getByLabel("Penjelasan (ditampilkan setelah menjawab)").fill("PEB diajukan lewat CEISA.");
      expect(await page.getByLabel("Jawaban benar: Pilihan 1").isChecked(), "option 1 is not the correct one");
      await page.getByLabel("Nilai lulus (%)").fill("100");
      await page.getByLabel("Batas percobaan").fill("3");
      await screenshot("page-lesson-quiz");
    });
    await screenshot("page-course-editor");
  });

  await step("previews the draft as a learner sees it", async () => {
    await main().getByRole("link", { name: "Pratinjau sebagai pelajar" }).click();
    await main().getByRole("heading", { level: 1, name: course.title }).waitFor();
    await main().getByText("Draf", { exact: true }).waitFor();
    await main().getByText(/Kursus ini masih draf/).waitFor();
    expect(
      (await main().getByRole("button", { name: "Daftar kursus ini" }).count()) === 0,
      "a draft offers enrolment",
    );
    await screenshot("page-preview");
    await main().getByRole("link", { name: course.text, exact: true }).click();
    await main().locator(".markdown table td", { hasText: "Tagihan kepada pembeli" }).waitFor();
  });

  await step("publishes the course", async () => {
    await openEditor();
    await main().getByRole("button", { name: "Terbitkan", exact: true }).click();
    await main().getByText("Terbit", { exact: true }).first().waitFor();
    await main().getByRole("button", { name: "Arsipkan" }).waitFor();
  });

  // --- a learner in a separate browser --------------------------------------------------------
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const learnerContext = await browser.newContext({ locale: "id-ID", viewport: { width: 1280, height: 860 } });
  learnerContext.setDefaultTimeout(TIMEOUT);
  const lp = await learnerContext.newPage();
  watch(lp);
  const lmain = () => lp.getByRole("main");

  await step("a learner registers and is refused the admin console", async () => {
    await lp.goto(`${BASE}/register`);
    await lp.getByLabel("Nama lengkap").fill(learner.name);
    await lp.getByLabel("Email").fill(learner.email);
    await lp.getByLabel(/^Kata sandi/).fill(learner.password);
    await lp.getByRole("button", { name: "Daftar", exact: true }).click();
    await lp.getByRole("heading", { level: 1, name: "Katalog kursus" }).waitFor();
    await lp.goto(`${BASE}/admin`);
    await lp.getByText("Anda tidak punya akses ke halaman ini.").waitFor();
    expect((await lp.getByRole("navigation", { name: "Navigasi konsol admin" }).count()) === 0, "admin nav shown");
    await lp.goto(`${BASE}/admin/users`);
    await lp.getByText("Anda tidak punya akses ke halaman ini.").waitFor();
  });

  await step("the learner finds the course in the catalogue, enrols and passes the quiz", async () => {
    await lp.goto(`${BASE}/courses`);
    await lp.getByRole("searchbox", { name: "Cari kursus" }).fill(course.title);
    await lp.getByRole("link", { name: course.title, exact: true }).click();
    await lmain().getByRole("heading", { level: 1, name: course.title }).waitFor();
    await lmain().getByRole("button", { name: "Daftar kursus ini" }).click();
    await lp.getByText("Anda terdaftar di kursus ini").waitFor();
    await lmain().getByRole("link", { name: course.quiz, exact: true }).click();
    await lmain().getByRole("heading", { level: 1, name: course.quiz }).waitFor();
    await lp.getByLabel("PEB", { exact: true }).check();
    await lp.getByRole("button", { name: "Kirim jawaban" }).click();
    const result = lp.getByTestId("quiz-result");
    await result.waitFor();
    expect((await result.getAttribute("data-passed")) === "true", "the correct answer did not pass");
  });

  await step("the admin edits the published course: learners do not see it yet", async () => {
    await openEditor();
    await main().getByRole("link", { name: course.text, exact: true }).click();
    await main().getByRole("heading", { level: 1, name: "Sunting pelajaran" }).waitFor();
    await page.getByLabel("Isi pelajaran (Markdown)").fill(`${TABLE_MD}\n\nREVISI-E2E: setengah jadi.`);
    await main().getByRole("button", { name: "Simpan pelajaran" }).click();
    await main().getByRole("heading", { level: 1, name: course.title }).waitFor();
    await addLesson("Teks", course.extra, async () => {
      await page.getByLabel("Isi pelajaran (Markdown)").fill("Materi yang belum selesai.");
    });
    await main().getByText("Perubahan belum terbit").first().waitFor();

    await lp.goto(`${BASE}/courses`);
    await lp.getByRole("searchbox", { name: "Cari kursus" }).fill(course.title);
    await lp.getByRole("link", { name: course.title, exact: true }).click();
    await lmain().getByRole("link", { name: course.text, exact: true }).waitFor();
    expect((await lmain().getByText(course.extra).count()) === 0, "the learner sees an unpublished lesson");
    await lmain().getByRole("link", { name: course.text, exact: true }).click();
    await lmain().locator(".markdown table").waitFor();
    expect((await lmain().getByText(/REVISI-E2E/).count()) === 0, "the learner sees an unpublished edit");
  });

  await step("publishing the changes shows them to the learner", async () => {
    await openEditor();
    await main().getByRole("button", { name: "Terbitkan perubahan" }).click();
    await page.waitForFunction(() => !document.querySelector("main")?.textContent?.includes("Perubahan belum terbit"));
    await lp.reload();
    await lmain().getByText(/REVISI-E2E/).waitFor();
    await lp.goBack();
    await lmain().getByRole("heading", { level: 1, name: course.title }).waitFor();
    await lmain().getByText(course.extra).waitFor();
  });

  await step("the admin changes the learner's role", async () => {
    await adminNav().getByRole("link", { name: "Pengguna", exact: true }).click();
    await main().getByRole("heading", { level: 1, name: "Pengguna" }).waitFor();
    await screenshot("page-users");
    await page.getByLabel("Cari email atau nama").fill(learner.email);
    await page.waitForURL((url) => url.searchParams.get("q") === learner.email);
    await main().getByRole("link", { name: learner.email }).click();
    await main().getByRole("heading", { level: 1, name: learner.name }).waitFor();
    await page.getByLabel("Ubah peran").selectOption("developer");
    await main().getByRole("button", { name: "Simpan peran" }).click();
    await main().getByText("Perubahan tersimpan.").waitFor();
    await main().getByRole("cell", { name: "ROLE_CHANGED" }).waitFor();
    await screenshot("page-user-detail");
  });

  await step("the audit viewer shows the role change and the published course changes", async () => {
    await adminNav().getByRole("link", { name: "Audit", exact: true }).click();
    await page.getByTestId("chain-status").getByText(/^Utuh/).waitFor();
    await page.getByLabel("Tindakan").selectOption("ROLE_CHANGED");
    await main().getByRole("button", { name: "Terapkan" }).click();
    await page.waitForURL((url) => url.searchParams.get("action") === "ROLE_CHANGED");
    const row = main().getByRole("row").filter({ hasText: "ROLE_CHANGED" }).first();
    await row.getByRole("button", { name: /Lihat perubahan/ }).click();
    await main().getByText(/"to":"developer"/).waitFor();
    await screenshot("page-audit");
    await page.getByLabel("Tindakan").selectOption("COURSE_CHANGES_PUBLISHED");
    await main().getByRole("button", { name: "Terapkan" }).click();
    await main().getByRole("row").filter({ hasText: "COURSE_CHANGES_PUBLISHED" }).first().waitFor();
    // Old and new values side by side for the edited lesson.
    await page.getByLabel("Tindakan").selectOption("UPDATE");
    await page.getByLabel("Tabel").selectOption("lessons");
    await main().getByRole("button", { name: "Terapkan" }).click();
    await page.waitForURL((url) => url.searchParams.get("table") === "lessons");
    await main().getByRole("row").filter({ hasText: "UPDATE" }).first().getByRole("button", { name: /Lihat perubahan/ }).click();
    await main().getByRole("columnheader", { name: "Nilai lama" }).waitFor();
    await screenshot("page-audit-diff");
  });

  await step("the e-mail outbox lists messages with their status", async () => {
    await adminNav().getByRole("link", { name: "E-mail", exact: true }).click();
    await main().getByRole("heading", { level: 1, name: "Kotak keluar e-mail" }).waitFor();
    await page.getByLabel("Status").selectOption("failed");
    await page.waitForURL((url) => url.searchParams.get("status") === "failed");
    await page.getByLabel("Status").selectOption("");
    await screenshot("page-emails");
  });

  await step("admin pages work at 375 px: tables scroll, forms stack", async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const [path, name] of [
      ["/admin/users", "users"],
      ["/admin/courses", "courses"],
      [new URL(courseUrl).pathname, "course-editor"],
      ["/admin/audit", "audit"],
      ["/admin/emails", "emails"],
    ]) {
      await page.goto(`${BASE}${path}`);
      await main().getByRole("heading", { level: 1 }).waitFor();
      await page.waitForLoadState("networkidle");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow <= 1, `${path} overflows the 375 px viewport by ${overflow} px`);
      await screenshot(`mobile-${name}`);
    }
  });
  await browser.close();
  await finish();
} catch (error) {
  if (problems.length) console.error(`Browser problems so far:\n${problems.join("\n")}`);
  await browser?.close().catch(() => {});
  await finish(error);
}
