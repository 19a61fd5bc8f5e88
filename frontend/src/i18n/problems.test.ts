import { describe, expect, it } from "vitest";
import codes from "../api/problemCodes.json";
import { problemsEn, problemsId } from "./sections/problems";

// api/problemCodes.json lists every `code` the platform can emit (scripts/problem_codes.py,
// kept fresh by tests/core/test_problem_codes.py). Each needs a message in both languages.
describe("problem messages", () => {
  it("has an Indonesian and an English message for every code the API can emit", () => {
    const id = problemsId as Record<string, string>;
    const en = problemsEn as Record<string, string>;
    const missingId = codes.filter((code) => !id[code]?.trim());
    const missingEn = codes.filter((code) => !en[code]?.trim());
    expect(missingId, "codes without an Indonesian message").toEqual([]);
    expect(missingEn, "codes without an English message").toEqual([]);
  });

  it("lists at least the codes the learner pages depend on", () => {
    // Registration no longer answers `email_taken`: it reveals no addresses (issue 11).
    for (const code of ["invalid_credentials", "weak_password", "wrong_password", "api_key_limit"]) {
      expect(codes).toContain(code);
    }
  });

  it("never uses the same text in both languages for a message (an untranslated copy)", () => {
    const same = Object.keys(problemsId).filter(
      (code) =>
        (problemsId as Record<string, string>)[code] ===
        (problemsEn as Record<string, string>)[code],
    );
    expect(same).toEqual([]);
  });
});
