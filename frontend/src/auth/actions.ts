/** What the UI does to sign in, sign up, sign out and switch language. */

import { session } from "../api/client";
import * as endpoints from "../api/endpoints";
import type { Locale, User } from "../api/types";
import { queryClient } from "../app/queryClient";
import { applyLanguage, currentLanguage, type Language } from "../i18n";

export async function signIn(email: string, password: string): Promise<User> {
  const tokens = await endpoints.login({ email, password });
  // Cached pages (is_enrolled, my courses) were fetched as someone else or nobody.
  queryClient.removeQueries();
  session.signIn(tokens);
  await applyLanguage(tokens.user.locale);
  return tokens.user;
}

export async function signUp(input: {
  email: string;
  password: string;
  full_name: string;
}): Promise<User> {
  await endpoints.register({ ...input, locale: currentLanguage() });
  return signIn(input.email, input.password);
}

export async function signOut(): Promise<void> {
  try {
    await endpoints.logout(); // revokes the refresh token and clears the cookie
  } finally {
    session.end("logout");
    queryClient.clear();
  }
}

/** Switch the UI language; when signed in, also save it as the profile's locale. */
export async function changeLanguage(language: Language): Promise<void> {
  await applyLanguage(language);
  const { status, user } = session.getSnapshot();
  if (status === "authenticated" && user && user.locale !== language) {
    const updated = await endpoints.updateMe({ locale: language as Locale });
    session.updateUser(updated);
    queryClient.setQueryData(["me"], updated);
  }
}
