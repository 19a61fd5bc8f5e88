/** Typed calls to the platform, one function per operation the web app uses. */

import { api } from "./client";
import { unwrap } from "./errors";
import type { TokenResponse } from "./session";
import type {
  AnswerInput,
  AttemptResult,
  Certificate,
  CourseDetail,
  CourseLevel,
  CoursePage,
  Enrollment,
  Lesson,
  LessonCompletion,
  Locale,
  MyCoursePage,
  User,
} from "./types";

// --- auth -------------------------------------------------------------------------------------

export async function login(body: { email: string; password: string }): Promise<TokenResponse> {
  return unwrap(await api.POST("/api/v1/auth/login", { body }));
}

export async function register(body: {
  email: string;
  password: string;
  full_name: string;
  locale: Locale;
}): Promise<User> {
  return unwrap(await api.POST("/api/v1/auth/register", { body }));
}

export async function logout(): Promise<void> {
  await api.POST("/api/v1/auth/logout", {});
}

// --- profile ----------------------------------------------------------------------------------

export async function getMe(): Promise<User> {
  return unwrap(await api.GET("/api/v1/users/me"));
}

export async function updateMe(body: { full_name?: string; locale?: Locale }): Promise<User> {
  return unwrap(await api.PATCH("/api/v1/users/me", { body }));
}

export async function changePassword(body: {
  current_password: string;
  new_password: string;
}): Promise<void> {
  unwrap(await api.POST("/api/v1/users/me/password", { body }));
}

// --- courses ----------------------------------------------------------------------------------

export type CourseSort = "newest" | "title" | "popularity";

export interface CourseQuery {
  q?: string;
  level?: CourseLevel;
  tag?: string;
  language?: string;
  sort?: CourseSort;
  limit?: number;
  offset?: number;
}

export async function listCourses(query: CourseQuery): Promise<CoursePage> {
  return unwrap(await api.GET("/api/v1/courses", { params: { query } }));
}

export async function getCourse(idOrSlug: string): Promise<CourseDetail> {
  return unwrap(
    await api.GET("/api/v1/courses/{id_or_slug}", { params: { path: { id_or_slug: idOrSlug } } }),
  );
}

export async function enroll(courseId: string): Promise<Enrollment> {
  return unwrap(
    await api.POST("/api/v1/courses/{course_id}/enroll", {
      params: { path: { course_id: courseId } },
    }),
  );
}

export async function unenroll(courseId: string): Promise<Enrollment> {
  return unwrap(
    await api.DELETE("/api/v1/courses/{course_id}/enroll", {
      params: { path: { course_id: courseId } },
    }),
  );
}

// --- learning ---------------------------------------------------------------------------------

export async function listMyCourses(query: { limit?: number; offset?: number } = {}): Promise<MyCoursePage> {
  return unwrap(await api.GET("/api/v1/me/courses", { params: { query } }));
}

// --- certificates -----------------------------------------------------------------------------

export async function listMyCertificates(): Promise<Certificate[]> {
  return unwrap(await api.GET("/api/v1/users/me/certificates", {}));
}

export async function getCertificate(code: string): Promise<Certificate> {
  return unwrap(
    await api.GET("/api/v1/certificates/{code}", { params: { path: { code } } }),
  );
}

export async function getLesson(lessonId: string): Promise<Lesson> {
  return unwrap(
    await api.GET("/api/v1/lessons/{lesson_id}", { params: { path: { lesson_id: lessonId } } }),
  );
}

export async function completeLesson(lessonId: string): Promise<LessonCompletion> {
  return unwrap(
    await api.POST("/api/v1/lessons/{lesson_id}/complete", {
      params: { path: { lesson_id: lessonId } },
    }),
  );
}

export async function submitAttempt(
  lessonId: string,
  answers: AnswerInput[],
): Promise<AttemptResult> {
  return unwrap(
    await api.POST("/api/v1/lessons/{lesson_id}/attempts", {
      params: { path: { lesson_id: lessonId } },
      body: { answers },
    }),
  );
}

// --- password reset and e-mail verification ---------------------------------------------------

export async function requestPasswordReset(email: string): Promise<void> {
  unwrap(await api.POST("/api/v1/auth/password-reset", { body: { email } }));
}

export async function confirmPasswordReset(token: string, newPassword: string): Promise<void> {
  unwrap(
    await api.POST("/api/v1/auth/password-reset/confirm", {
      body: { token, new_password: newPassword },
    }),
  );
}

export async function verifyEmail(token: string): Promise<User> {
  return unwrap(await api.POST("/api/v1/auth/verify-email", { body: { token } }));
}

export async function resendVerificationEmail(): Promise<void> {
  unwrap(await api.POST("/api/v1/users/me/verification-email", {}));
}
