// Completion and certificates in a real Chromium: an admin publishes a one-lesson course
// (through the API), a learner signs in, enrols, completes it and sees the completion state;
// "my learning" lists it under "Selesai"; the certificate's public page opens in a fresh
// browser (no session) and its PDF names the learner and the course; leaving a course asks
// for confirmation first.
import { chromium } from "playwright-core";
import { BASE, CHROMIUM_ARGS, expect, startJourney, uniqueSuffix } from "./harness.mjs";

const unique = uniqueSuffix();
const learner = {
  name: "Budi Santoso",
  email: `budi.${unique}@example.com`,
  password: `Sertifikat-${unique}-Aman!`,
};

async function call(method, path, { token, body } = {}) {
  const response = await fetch(new URL(`/api/v1${path}`, BASE), {
    method,
    headers: {
      "Content-Type": "application/json",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

async function publishShortCourse() {
  const { access_token: token } = await call("POST", "/auth/login", {
    body: { email: process.env.E2E_ADMIN_EMAIL, password: process.env.E2E_ADMIN_PASSWORD },
  });
  const course = await call("POST", "/admin/courses", {
    token,
    body: {
      title: `Kilat Sertifikat ${unique}`,
      summary: "Kursus satu pelajaran untuk uji sertifikat.",
      estimated_minutes: 5,
    },
  });
  const section = await call("POST", `/admin/courses/${course.id}/sections`, {
    token,
    body: { title: "Satu-satunya bagian" },
  });
  await call("POST", `/admin/courses/${course.id}/sections/${section.id}/lessons`, {
    token,
    body: { title: "Ringkasan ekspor", kind: "text", body_md: "Ekspor adalah menjual ke luar negeri." },
  });
  await call("POST", `/admin/courses/${course.id}/publish`, { token });
  return course;
}

const { page, step, finish } = await startJourney("completion");
try {
  const course = await publishShortCourse();
  await call("POST", "/auth/register", {
    body: { email: learner.email, password: learner.password, full_name: learner.name, locale: "id" },
  });
  let certificateUrl = "";

  await step("the learner signs in and enrols", async () => {
    await page.goto(new URL(`/login?next=/courses/${course.slug}`, BASE).href);
    await page.getByLabel("Email").fill(learner.email);
    await page.getByLabel(/^Kata sandi/).fill(learner.password);
    await page.getByRole("button", { name: "Masuk", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: course.title }).waitFor();
    await page.getByRole("button", { name: "Daftar kursus ini" }).click();
    await page.getByText("Anda terdaftar di kursus ini").waitFor();
  });

  await step("leaving asks for confirmation and says progress is kept", async () => {
    await page.getByRole("button", { name: "Batalkan pendaftaran" }).click();
    const dialog = page.getByRole("dialog", { name: "Batalkan pendaftaran?" });
    await dialog.getByText(/Progres Anda tetap disimpan/).waitFor();
    await dialog.getByRole("button", { name: "Tetap terdaftar" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByText("Anda terdaftar di kursus ini").waitFor();
  });

  await step("completing the last lesson shows the completion state", async () => {
    await page.getByRole("link", { name: "Mulai belajar" }).click();
    await page.getByRole("heading", { level: 1, name: "Ringkasan ekspor" }).waitFor();
    await page.getByRole("button", { name: "Tandai selesai" }).click();
    await page.getByText("Pelajaran ini sudah selesai").waitFor();
    await page.goto(new URL(`/courses/${course.slug}`, BASE).href);
    await page.getByTestId("course-completed").getByText("Kursus selesai!").waitFor();
    expect(
      (await page.getByRole("button", { name: "Batalkan pendaftaran" }).count()) === 0,
      "a completed course still offers to unenrol",
    );
  });

  await step("my learning lists it under Selesai with its certificate", async () => {
    await page.goto(new URL("/my-learning", BASE).href);
    await page.getByRole("tab", { name: /Selesai/ }).click();
    const card = page.getByTestId("my-course").filter({ hasText: course.title });
    await card.getByText(/Selesai pada/).waitFor();
    await card.getByRole("link", { name: "Sertifikat", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Sertifikat Penyelesaian" }).waitFor();
    certificateUrl = page.url();
    expect(/\/certificates\/PE-/.test(certificateUrl), `unexpected URL ${certificateUrl}`);
  });

  await step("anyone can verify the certificate and download its PDF", async () => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const stranger = await (await browser.newContext({ locale: "id-ID" })).newPage();
      const errors = [];
      stranger.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      await stranger.goto(certificateUrl);
      const status = stranger.getByTestId("certificate-status");
      await status.waitFor();
      expect((await status.getAttribute("data-status")) === "valid", "the certificate is not valid");
      await stranger.getByTestId("certificate-name").getByText(learner.name).waitFor();
      await stranger.getByRole("link", { name: course.title }).waitFor();
      const href = await stranger.getByTestId("certificate-pdf").getAttribute("href");
      const pdf = await stranger.request.get(new URL(href, BASE).href);
      expect(pdf.status() === 200, `PDF answered ${pdf.status()}`);
      expect(pdf.headers()["content-type"] === "application/pdf", "not a PDF content type");
      const bytes = await pdf.body();
      const text = bytes.toString("latin1");
      expect(text.startsWith("%PDF-"), "the download is not a PDF");
      expect(text.includes(learner.name), "the PDF does not name the learner");
      expect(text.includes(course.title), "the PDF does not name the course");
      expect(errors.length === 0, `console errors: ${errors.join("; ")}`);
    } finally {
      await browser.close();
    }
  });
  await finish();
} catch (error) {
  await finish(error);
}
