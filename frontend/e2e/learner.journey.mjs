// The learner journey in a real Chromium against a real platform process (see scripts/e2e.sh):
// register, find a course by search, enrol, complete a text lesson, fail then pass a quiz, see
// progress on "my learning", switch to English, reload (still signed in), sign out. Any console
// error or uncaught page error fails the run. Failing steps leave a screenshot in test-output/.
//
// Env: see harness.mjs; E2E_QUIZ_ANSWERS (JSON file of each quiz's correct option ids, from
// scripts/e2e_quiz_answers.py).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ALWAYS_SHOOT, api, BASE, expect, OUT, startJourney, uniqueSuffix } from "./harness.mjs";

const answers = process.env.E2E_QUIZ_ANSWERS
  ? JSON.parse(readFileSync(process.env.E2E_QUIZ_ANSWERS, "utf8"))
  : {};

// --- find a course to learn through the public API (no titles hard-coded) ------------------

async function pickCourse() {
  const page = await api("/courses?limit=100&sort=title");
  for (const summary of page.items) {
    const course = await api(`/courses/${summary.slug}`);
    const lessons = course.sections.flatMap((section) => section.lessons);
    const text = lessons.find((lesson) => lesson.kind === "text");
    // A quiz that allows a second attempt: this learner fails it once on purpose.
    const quiz = lessons.find(
      (lesson) =>
        lesson.kind === "quiz" &&
        answers[lesson.id] &&
        (answers[lesson.id].max_attempts === null || answers[lesson.id].max_attempts >= 2),
    );
    if (text && quiz) return { course, text, quiz };
  }
  throw new Error("the demo seed has no published course with a text lesson and a quiz");
}

const { context, page, step, finish } = await startJourney("learner");

const header = () => page.getByRole("banner");
const mainNav = (name) => header().getByRole("navigation", { name });
const unique = uniqueSuffix();
const learner = {
  name: "Sari Wulandari",
  email: `sari.${unique}@example.com`,
  password: `Ekspor-${unique}-Aman!`,
};

try {
  const { course, text, quiz } = await pickCourse();
  console.log(`  course: ${course.title} (text lesson "${text.title}", quiz "${quiz.title}")`);

  await step("landing page explains the platform in Indonesian", async () => {
    await page.goto(BASE);
    await page.getByRole("heading", { level: 1, name: /pasar dunia/ }).waitFor();
    expect((await page.locator("html").getAttribute("lang")) === "id", "html lang is not id");
    await page.getByRole("heading", { name: "Cara kerjanya" }).waitFor();
    // Keyboard users get a skip link first.
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? "");
    expect(focused.includes("Lewati ke konten utama"), `first Tab focused "${focused}"`);
  });

  await step("a new learner registers", async () => {
    await header().getByRole("link", { name: "Daftar" }).click();
    await page.getByRole("heading", { name: "Buat akun" }).waitFor();
    await page.getByLabel("Nama lengkap").fill(learner.name);
    await page.getByLabel("Email").fill(learner.email);
    await page.getByLabel(/^Kata sandi/).fill(learner.password);
    await page.getByRole("button", { name: "Daftar", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Katalog kursus" }).waitFor();
    await header().getByRole("button", { name: `Akun: ${learner.name}` }).waitFor();
    await mainNav("Navigasi utama").getByRole("link", { name: "Belajar Saya" }).waitFor();
    expect(
      (await mainNav("Navigasi utama").getByRole("link", { name: "Admin" }).count()) === 0,
      "a learner sees the admin entry",
    );
  });

  await step("finds the course by search", async () => {
    await page.getByRole("searchbox", { name: "Cari kursus" }).fill(course.title);
    await page.waitForURL((url) => url.searchParams.get("q") === course.title);
    const link = page.getByRole("link", { name: course.title, exact: true });
    await link.waitFor();
    await link.click();
    await page.getByRole("heading", { level: 1, name: course.title }).waitFor();
    await page.getByRole("heading", { name: "Isi kursus" }).waitFor();
  });

  await step("enrols in the course", async () => {
    await page.getByRole("button", { name: "Daftar kursus ini" }).click();
    await page.getByText("Anda terdaftar di kursus ini").waitFor();
    await page.getByRole("link", { name: "Mulai belajar" }).waitFor();
  });

  await step("completes a text lesson", async () => {
    await page.getByRole("main").getByRole("link", { name: text.title, exact: true }).first().click();
    await page.getByRole("heading", { level: 1, name: text.title }).waitFor();
    await page.locator(".markdown").first().waitFor();
    await page.getByRole("button", { name: "Tandai selesai" }).click();
    await page.getByText("Pelajaran ini sudah selesai").waitFor();
  });

  await step("fails the quiz once and is not shown the correct answers", async () => {
    await page.getByRole("complementary").getByRole("link", { name: quiz.title }).click();
    await page.getByRole("heading", { level: 1, name: quiz.title }).waitFor();
    const correct = answers[quiz.id].questions;
    const questions = page.getByTestId("quiz-question");
    await questions.first().waitFor();
    const count = await questions.count();
    expect(count === Object.keys(correct).length, `expected ${Object.keys(correct).length} questions, saw ${count}`);
    // Choose a wrong option everywhere, so this attempt cannot pass.
    for (let i = 0; i < count; i += 1) {
      const question = questions.nth(i);
      const id = await question.getAttribute("data-question-id");
      const values = await question.locator("input").evaluateAll((inputs) => inputs.map((input) => input.value));
      const wrong = values.find((value) => !correct[id].includes(value));
      expect(wrong, `question ${id} has no wrong option`);
      await question.locator(`input[value="${wrong}"]`).check();
    }
    await page.getByRole("button", { name: "Kirim jawaban" }).click();
    const result = page.getByTestId("quiz-result");
    await result.waitFor();
    expect((await result.getAttribute("data-passed")) === "false", "the wrong answers passed");
    await result.getByText(/Belum lulus/).waitFor();
    // Attempts are left: the feedback marks each answer wrong but reveals no correct answer.
    for (let i = 0; i < count; i += 1) {
      const question = questions.nth(i);
      const id = await question.getAttribute("data-question-id");
      expect((await question.getAttribute("data-result")) === "incorrect", `question ${id} not marked wrong`);
      expect(!(await question.getAttribute("data-correct-options")), `question ${id} revealed its answer`);
    }
    expect((await page.getByTestId("correct-answer").count()) === 0, "a correct answer was shown");
    await page.getByTestId("answers-hidden").waitFor();
  });

  await step("passes the quiz and then sees the answers", async () => {
    const correct = answers[quiz.id].questions;
    await page.getByRole("button", { name: "Coba lagi" }).click();
    for (const [id, options] of Object.entries(correct)) {
      for (const option of options) {
        await page.locator(`[data-question-id="${id}"] input[value="${option}"]`).check();
      }
    }
    await page.getByRole("button", { name: "Kirim jawaban" }).click();
    const result = page.getByTestId("quiz-result");
    await result.getByText(/Lulus!/).waitFor();
    expect((await result.getAttribute("data-passed")) === "true", "the quiz did not pass");
    const questions = page.getByTestId("quiz-question");
    for (let i = 0; i < (await questions.count()); i += 1) {
      const question = questions.nth(i);
      const id = await question.getAttribute("data-question-id");
      const shown = (await question.getAttribute("data-correct-options")).split(" ").sort();
      expect(JSON.stringify(shown) === JSON.stringify([...correct[id]].sort()), `answers for ${id} differ`);
    }
  });

  let percent = 0;
  await step("sees progress on my learning", async () => {
    await mainNav("Navigasi utama").getByRole("link", { name: "Belajar Saya" }).click();
    await page.getByRole("heading", { level: 1, name: "Belajar Saya" }).waitFor();
    const card = page.getByTestId("my-course").filter({ hasText: course.title });
    await card.waitFor();
    const bar = card.getByTestId("progress");
    percent = Number(await bar.getAttribute("data-value"));
    // Progress counts required lessons; this learner completed the text lesson and the quiz.
    const required = course.sections.flatMap((section) => section.lessons).filter((l) => l.is_required);
    const done = [text, quiz].filter((lesson) => lesson.is_required).length;
    const exact = (100 * done) / required.length;
    expect(percent > 0, `progress is ${percent}%`);
    expect(
      percent === Math.floor(exact) || percent === Math.round(exact),
      `progress ${percent}% does not match ${done} of ${required.length} required lessons`,
    );
    await card.getByRole("link", { name: /Lanjutkan|Lihat lagi/ }).waitFor();
  });

  await step("updates the profile name", async () => {
    await header().getByRole("button", { name: `Akun: ${learner.name}` }).click();
    await page.getByRole("menuitem", { name: "Profil" }).click();
    await page.getByRole("heading", { level: 1, name: "Profil" }).waitFor();
    learner.name = "Sari W. Eksportir";
    await page.getByLabel("Nama lengkap").fill(learner.name);
    await page.getByRole("button", { name: "Simpan" }).click();
    await page.getByText("Profil tersimpan.").waitFor();
    await header().getByRole("button", { name: `Akun: ${learner.name}` }).waitFor();
    if (ALWAYS_SHOOT) await page.screenshot({ path: join(OUT, "profile.png"), fullPage: true });
    await mainNav("Navigasi utama").getByRole("link", { name: "Belajar Saya" }).click();
    await page.getByRole("heading", { level: 1, name: "Belajar Saya" }).waitFor();
  });

  await step("switches to English", async () => {
    const saved = page.waitForResponse(
      (response) => response.url().endsWith("/api/v1/users/me") && response.request().method() === "PATCH",
    );
    await header().getByRole("button", { name: "English" }).click();
    expect((await saved).status() === 200, "the profile language was not saved");
    await page.getByRole("heading", { level: 1, name: "My learning" }).waitFor();
    await mainNav("Main navigation").getByRole("link", { name: "Catalogue" }).waitFor();
    expect((await page.locator("html").getAttribute("lang")) === "en", "html lang is not en");
  });

  await step("reloads and is still signed in, in English", async () => {
    const refreshed = page.waitForResponse((response) => response.url().endsWith("/api/v1/auth/refresh"));
    await page.reload();
    expect((await refreshed).status() === 200, "the refresh cookie did not restore the session");
    await page.getByRole("heading", { level: 1, name: "My learning" }).waitFor();
    await header().getByRole("button", { name: `Account: ${learner.name}` }).waitFor();
    const card = page.getByTestId("my-course").filter({ hasText: course.title });
    expect(Number(await card.getByTestId("progress").getAttribute("data-value")) === percent, "progress changed");
    const cookies = await context.cookies();
    const refresh = cookies.find((cookie) => cookie.name === "pe_refresh");
    expect(refresh?.httpOnly && refresh.sameSite === "Strict", "refresh cookie is not HttpOnly+Strict");
    expect(refresh.path === "/api/v1/auth", `refresh cookie path is ${refresh.path}`);
    const stored = await page.evaluate(() => JSON.stringify({ ...window.localStorage }));
    expect(!stored.includes(refresh.value), "the refresh token leaked into localStorage");
  });

  await step("works at 375 px with the mobile menu", async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(new URL("/courses", BASE).href);
    await page.getByRole("heading", { level: 1, name: "Course catalogue" }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow <= 0, `the page scrolls sideways by ${overflow}px at 375px`);
    if (ALWAYS_SHOOT) await page.screenshot({ path: join(OUT, "mobile-catalogue.png"), fullPage: true });
    await page.getByRole("button", { name: "Open menu" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("link", { name: "My learning" }).waitFor();
    if (ALWAYS_SHOOT) await page.screenshot({ path: join(OUT, "mobile-menu.png") });
    await dialog.getByRole("link", { name: "My learning" }).click();
    await page.getByRole("heading", { level: 1, name: "My learning" }).waitFor();
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  await step("signs out", async () => {
    await header().getByRole("button", { name: `Account: ${learner.name}` }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.getByTestId("logged-out").waitFor();
    await page.getByRole("heading", { name: "Sign in to Pintar Ekspor" }).waitFor();
    expect(
      (await mainNav("Main navigation").getByRole("link", { name: "My learning" }).count()) === 0,
      "my learning is still in the navigation",
    );
    expect(!(await context.cookies()).some((c) => c.name === "pe_refresh"), "refresh cookie kept");
    // A protected page now asks to sign in, even after a reload.
    await page.goto(new URL("/my-learning", BASE).href);
    await page.waitForURL((url) => url.pathname === "/login");
    await page.getByRole("heading", { name: "Sign in to Pintar Ekspor" }).waitFor();
  });

  await step("unknown pages show the 404 page", async () => {
    await page.goto(new URL("/tidak-ada/halaman", BASE).href);
    await page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
  });
  await finish();
} catch (error) {
  await finish(error);
}
