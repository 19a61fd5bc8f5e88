// Password reset and e-mail verification in a real Chromium, with the e-mails read from the
// console backend's outbox folder (E2E_OUTBOX_DIR, real .eml files written by the platform's
// e-mail worker): the welcome e-mail's link confirms the address and the profile notice
// disappears; "Lupa kata sandi?" → e-mail → reset page → sign in with the new password.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BASE, expect, startJourney, uniqueSuffix } from "./harness.mjs";

const OUTBOX = process.env.E2E_OUTBOX_DIR;
if (!OUTBOX) {
  console.error("E2E_OUTBOX_DIR is required (scripts/e2e.sh sets it)");
  process.exit(2);
}
const unique = uniqueSuffix();
const learner = {
  name: "Rina Kartika",
  email: `rina.${unique}@example.com`,
  password: `Awal-${unique}-Kopi!`,
  newPassword: `Baru-${unique}-Teh!`,
};

/** The decoded text of an .eml file (quoted-printable soft breaks and escapes undone). */
function decode(eml) {
  return eml
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** Wait for an e-mail to `to` whose text has a link to `/page?token=…`; returns the URL. */
async function linkFromOutbox(to, page, { after = 0 } = {}) {
  const pattern = new RegExp(`https?://[^\\s"<>]*/${page}\\?token=[A-Za-z0-9_-]+`);
  for (let i = 0; i < 60; i += 1) {
    let files = [];
    try {
      files = readdirSync(OUTBOX).filter((name) => name.endsWith(".eml"));
    } catch {
      // the folder appears with the first e-mail
    }
    for (const name of files) {
      const text = decode(readFileSync(join(OUTBOX, name), "latin1"));
      const match = text.includes(to) ? text.match(pattern) : null;
      if (match && !after) return match[0];
      if (match && after) after -= 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no e-mail to ${to} with a /${page} link arrived in ${OUTBOX}`);
}

/** Open an e-mailed link on this platform (the link's host is PUBLIC_BASE_URL). */
function onPlatform(link) {
  const url = new URL(link);
  return new URL(`${url.pathname}${url.search}`, BASE).href;
}

const { page, step, finish } = await startJourney("recovery");
try {
  const created = await fetch(new URL("/api/v1/auth/register", BASE), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      email: learner.email,
      password: learner.password,
      full_name: learner.name,
      locale: "id",
    }),
  });
  expect(created.status === 201, `register answered ${created.status}`);

  await step("the profile asks to confirm the address; the welcome link confirms it", async () => {
    await page.goto(new URL("/login?next=/profile", BASE).href);
    await page.getByLabel("Email").fill(learner.email);
    await page.getByLabel(/^Kata sandi/).fill(learner.password);
    await page.getByRole("button", { name: "Masuk", exact: true }).click();
    await page.getByTestId("verify-notice").waitFor();
    const link = await linkFromOutbox(learner.email, "verify-email");
    await page.goto(onPlatform(link));
    await page.getByTestId("email-verified").waitFor();
    await page.goto(new URL("/profile", BASE).href);
    await page.getByRole("heading", { level: 1, name: "Profil" }).waitFor();
    expect((await page.getByTestId("verify-notice").count()) === 0, "the notice is still shown");
  });
  await step("signs out", async () => {
    await page.getByRole("banner").getByRole("button", { name: `Akun: ${learner.name}` }).click();
    await page.getByRole("menuitem", { name: "Keluar" }).click();
    await page.getByTestId("logged-out").waitFor();
  });

  await step("asks for a reset link from the sign-in page", async () => {
    await page.goto(new URL("/login", BASE).href);
    await page.getByRole("link", { name: "Lupa kata sandi?" }).click();
    await page.getByRole("heading", { level: 1, name: "Lupa kata sandi" }).waitFor();
    await page.getByLabel("Email").fill(learner.email);
    await page.getByRole("button", { name: "Kirim tautan" }).click();
    await page.getByTestId("reset-requested").waitFor();
  });

  await step("sets a new password from the e-mailed link", async () => {
    const link = await linkFromOutbox(learner.email, "reset-password");
    await page.goto(onPlatform(link));
    await page.getByRole("heading", { level: 1, name: "Buat kata sandi baru" }).waitFor();
    await page.getByLabel(/^Kata sandi baru/).fill(learner.newPassword);
    await page.getByRole("button", { name: "Simpan kata sandi baru" }).click();
    await page.getByTestId("password-reset-done").waitFor();
  });

  await step("signs in with the new password, not the old one", async () => {
    // The old password is refused (checked off-page: a 401 in the browser is a console error).
    const old = await fetch(new URL("/api/v1/auth/login", BASE), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: learner.email, password: learner.password }),
    });
    expect(old.status === 401, `the old password answered ${old.status}`);
    await page.getByRole("link", { name: "Kembali ke halaman masuk" }).click();
    await page.getByLabel("Email").fill(learner.email);
    await page.getByLabel(/^Kata sandi/).fill(learner.newPassword);
    await page.getByRole("button", { name: "Masuk", exact: true }).click();
    await page.waitForURL((url) => url.pathname !== "/login");
  });

  await finish();
} catch (error) {
  await finish(error);
}
