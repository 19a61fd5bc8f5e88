/** Admin console calls and query hooks (typed by the generated OpenAPI schema). */

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/schema";

type S = components["schemas"];
export type AdminUser = S["AdminUserRead"];
export type AdminUserUpdate = S["AdminUserUpdate"];
export type SecurityEvent = S["SecurityEventRead"];
export type AdminCourse = S["AdminCourseRead"];
export type AdminCourseSummary = S["AdminCourseSummary"];
export type AdminSection = S["AdminSectionRead"];
export type AdminLesson = S["AdminLessonRead"];
export type CourseCreate = S["CourseCreate"];
export type CourseUpdate = S["CourseUpdate"];
export type LessonCreate = S["LessonCreate"];
export type LessonUpdate = S["LessonUpdate"];
export type QuestionIn = S["QuestionIn"];
export type CourseStatus = S["CourseStatus"];
export type AuditLog = S["AuditLogRead"];
export type AuditChainStatus = S["AuditChainStatus"];
export type Email = S["EmailRead"];
export type EmailStatus = S["EmailStatus"];
export type Role = S["Role"];

export const PAGE_SIZE = 20;

// --- users ------------------------------------------------------------------------------------

export interface UserQuery {
  q?: string;
  role?: Role;
  is_active?: boolean;
  limit: number;
  offset: number;
}

const userPath = (userId: string) => ({ params: { path: { user_id: userId } } });

export function useAdminUsers(query: UserQuery) {
  return useQuery({
    queryKey: ["admin", "users", query],
    queryFn: async () => unwrap(await api.GET("/api/v1/admin/users", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useAdminUser(userId: string) {
  return useQuery({
    queryKey: ["admin", "user", userId],
    queryFn: async () => unwrap(await api.GET("/api/v1/admin/users/{user_id}", userPath(userId))),
  });
}

export function useSecurityEvents(userId: string) {
  return useQuery({
    queryKey: ["admin", "user", userId, "events"],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/admin/users/{user_id}/security-events", {
          params: { path: { user_id: userId }, query: { limit: 20 } },
        }),
      ),
  });
}

type UserAction =
  | { kind: "update"; body: AdminUserUpdate }
  | { kind: "unlock" }
  | { kind: "logoutAll" };

export function useUserAction(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (action: UserAction): Promise<unknown> => {
      if (action.kind === "update") {
        return unwrap(
          await api.PATCH("/api/v1/admin/users/{user_id}", {
            ...userPath(userId),
            body: action.body,
          }),
        );
      }
      if (action.kind === "unlock") {
        return unwrap(await api.POST("/api/v1/admin/users/{user_id}/unlock", userPath(userId)));
      }
      return unwrap(await api.POST("/api/v1/admin/users/{user_id}/logout-all", userPath(userId)));
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ["admin"] }),
  });
}

// --- courses ----------------------------------------------------------------------------------

export interface CourseListQuery {
  q?: string;
  status?: CourseStatus;
  limit: number;
  offset: number;
}

export function useAdminCourses(query: CourseListQuery) {
  return useQuery({
    queryKey: ["admin", "courses", query],
    queryFn: async () => unwrap(await api.GET("/api/v1/admin/courses", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export const courseKey = (courseId: string) => ["admin", "course", courseId] as const;

export function useAdminCourse(courseId: string) {
  return useQuery({
    queryKey: courseKey(courseId),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/admin/courses/{course_id}", {
          params: { path: { course_id: courseId } },
        }),
      ),
  });
}

export async function createCourse(body: CourseCreate): Promise<AdminCourse> {
  return unwrap(await api.POST("/api/v1/admin/courses", { body }));
}

const coursePath = (courseId: string) => ({ params: { path: { course_id: courseId } } });
const sectionPath = (courseId: string, sectionId: string) => ({
  params: { path: { course_id: courseId, section_id: sectionId } },
});
const lessonPath = (courseId: string, lessonId: string) => ({
  params: { path: { course_id: courseId, lesson_id: lessonId } },
});

/** Every change to a course's content, as one discriminated union (one mutation hook). */
export type CourseChange =
  | { kind: "update"; body: CourseUpdate }
  | { kind: "status"; to: "publish" | "unpublish" | "archive" }
  | { kind: "changes"; to: "publish-changes" | "discard-changes" }
  | { kind: "delete" }
  | { kind: "addSection"; title: string }
  | { kind: "renameSection"; sectionId: string; title: string }
  | { kind: "deleteSection"; sectionId: string }
  | { kind: "orderSections"; sectionIds: string[] }
  | { kind: "orderLessons"; sectionId: string; lessonIds: string[] }
  | { kind: "addLesson"; sectionId: string; body: LessonCreate }
  | { kind: "updateLesson"; lessonId: string; body: LessonUpdate }
  | { kind: "deleteLesson"; lessonId: string }
  | { kind: "moveLesson"; lessonId: string; sectionId: string; position?: number };

export async function applyCourseChange(courseId: string, change: CourseChange): Promise<unknown> {
  const course = coursePath(courseId);
  switch (change.kind) {
    case "update":
      return unwrap(await api.PATCH("/api/v1/admin/courses/{course_id}", { ...course, body: change.body }));
    case "status":
      if (change.to === "publish")
        return unwrap(await api.POST("/api/v1/admin/courses/{course_id}/publish", course));
      if (change.to === "unpublish")
        return unwrap(await api.POST("/api/v1/admin/courses/{course_id}/unpublish", course));
      return unwrap(await api.POST("/api/v1/admin/courses/{course_id}/archive", course));
    case "changes":
      if (change.to === "publish-changes")
        return unwrap(await api.POST("/api/v1/admin/courses/{course_id}/publish-changes", course));
      return unwrap(await api.POST("/api/v1/admin/courses/{course_id}/discard-changes", course));
    case "delete":
      return unwrap(await api.DELETE("/api/v1/admin/courses/{course_id}", course));
    case "addSection":
      return unwrap(
        await api.POST("/api/v1/admin/courses/{course_id}/sections", {
          ...course,
          body: { title: change.title },
        }),
      );
    case "renameSection":
      return unwrap(
        await api.PATCH("/api/v1/admin/courses/{course_id}/sections/{section_id}", {
          ...sectionPath(courseId, change.sectionId),
          body: { title: change.title },
        }),
      );
    case "deleteSection":
      return unwrap(
        await api.DELETE(
          "/api/v1/admin/courses/{course_id}/sections/{section_id}",
          sectionPath(courseId, change.sectionId),
        ),
      );
    case "orderSections":
      return unwrap(
        await api.PUT("/api/v1/admin/courses/{course_id}/sections/order", {
          ...course,
          body: { section_ids: change.sectionIds },
        }),
      );
    case "orderLessons":
      return unwrap(
        await api.PUT("/api/v1/admin/courses/{course_id}/sections/{section_id}/lessons/order", {
          ...sectionPath(courseId, change.sectionId),
          body: { lesson_ids: change.lessonIds },
        }),
      );
    case "addLesson":
      return unwrap(
        await api.POST("/api/v1/admin/courses/{course_id}/sections/{section_id}/lessons", {
          ...sectionPath(courseId, change.sectionId),
          body: change.body,
        }),
      );
    case "updateLesson":
      return unwrap(
        await api.PATCH("/api/v1/admin/courses/{course_id}/lessons/{lesson_id}", {
          ...lessonPath(courseId, change.lessonId),
          body: change.body,
        }),
      );
    case "deleteLesson":
      return unwrap(
        await api.DELETE(
          "/api/v1/admin/courses/{course_id}/lessons/{lesson_id}",
          lessonPath(courseId, change.lessonId),
        ),
      );
    case "moveLesson":
      return unwrap(
        await api.POST("/api/v1/admin/courses/{course_id}/lessons/{lesson_id}/move", {
          ...lessonPath(courseId, change.lessonId),
          body: { section_id: change.sectionId, position: change.position ?? null },
        }),
      );
  }
}

export function useCourseChange(courseId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: CourseChange) => applyCourseChange(courseId, change),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ["admin"] }),
        // What learners (and the admin's preview) see may have changed.
        client.invalidateQueries({ queryKey: ["course"] }),
        client.invalidateQueries({ queryKey: ["courses"] }),
        client.invalidateQueries({ queryKey: ["lesson"] }),
      ]),
  });
}

// --- audit ------------------------------------------------------------------------------------

export interface AuditQuery {
  actor_user_id?: string;
  action?: string;
  table_name?: string;
  record_id?: string;
  since?: string;
  until?: string;
  limit: number;
  offset: number;
}

export function useAuditLogs(query: AuditQuery) {
  return useQuery({
    queryKey: ["admin", "audit", query],
    queryFn: async () => unwrap(await api.GET("/api/v1/admin/audit-logs", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useAuditChain() {
  return useQuery({
    queryKey: ["admin", "audit-chain"],
    queryFn: async () => unwrap(await api.GET("/api/v1/admin/audit-logs/verification")),
  });
}

// --- e-mail -----------------------------------------------------------------------------------

export interface EmailQuery {
  status?: EmailStatus;
  template?: string;
  limit: number;
  offset: number;
}

export function useEmails(query: EmailQuery) {
  return useQuery({
    queryKey: ["admin", "emails", query],
    queryFn: async () => unwrap(await api.GET("/api/v1/admin/emails", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useRetryEmail() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (emailId: string) =>
      unwrap(
        await api.POST("/api/v1/admin/emails/{email_id}/retry", {
          params: { path: { email_id: emailId } },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ["admin", "emails"] }),
  });
}
