import type { TFunction } from "i18next";
import { afterEach, describe, expect, it } from "vitest";
import i18n, { initI18n } from "../i18n";
import { ApiError } from "./errors";
import { fieldProblemMessage, problemMessage } from "./problemMessage";

initI18n("id");
const t = ((key: string) => i18n.t(key as never)) as unknown as TFunction;

function problem(status: number, code: string | null, detail: string, errors: unknown[] = []) {
  return new ApiError(status, { status, code, detail, errors });
}

afterEach(async () => {
  await i18n.changeLanguage("id");
});

describe("problemMessage", () => {
  it("translates a known code instead of showing the English detail", () => {
    const error = problem(409, "email_taken", "An account with this e-mail already exists.");
    expect(problemMessage(error, t)).toBe(
      "Email ini sudah terdaftar. Masuk dengan email tersebut atau pakai email lain.",
    );
  });

  it("uses the English message in English", async () => {
    await i18n.changeLanguage("en");
    const error = problem(400, "wrong_password", "The current password is incorrect.");
    expect(problemMessage(error, t)).toBe("The current password is wrong.");
  });

  it("never shows an unknown code's English detail in Indonesian", () => {
    const error = problem(418, "brand_new_code", "Some English server text.");
    const message = problemMessage(error, t);
    expect(message).not.toContain("English");
    expect(message).toBe(i18n.t("errors.generic"));
  });

  it("falls back to the detail in English for an unknown code", async () => {
    await i18n.changeLanguage("en");
    expect(problemMessage(problem(418, "brand_new_code", "Some English server text."), t)).toBe(
      "Some English server text.",
    );
  });

  it("says the network is down for a failed fetch", () => {
    expect(problemMessage(new TypeError("Failed to fetch"), t)).toBe(i18n.t("errors.network"));
  });
});

describe("fieldProblemMessage", () => {
  const weak = problem(422, "weak_password", "The password does not meet the policy: too common.", [
    { field: "password", message: "The password is too common; choose one that is harder to guess." },
  ]);

  it("gives the translated code message for the field the problem names", () => {
    expect(fieldProblemMessage(weak, "password", t)).toContain("Kata sandi terlalu lemah");
    expect(fieldProblemMessage(weak, "email", t)).toBeNull();
  });

  it("hides English validation text in Indonesian and shows it in English", async () => {
    const invalid = problem(422, "validation_failed", "The request is invalid", [
      { field: "email", message: "value is not a valid email address" },
    ]);
    expect(fieldProblemMessage(invalid, "email", t)).toBe("Periksa kembali isian Anda.");
    await i18n.changeLanguage("en");
    expect(fieldProblemMessage(invalid, "email", t)).toBe("value is not a valid email address");
  });
});
