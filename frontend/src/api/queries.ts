/** TanStack Query hooks and keys. Mutations invalidate what a learner would see change. */

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSession } from "../auth/useSession";
import * as endpoints from "./endpoints";
import type { AnswerInput } from "./types";

export const keys = {
  courses: (query: endpoints.CourseQuery) => ["courses", query] as const,
  course: (idOrSlug: string) => ["course", idOrSlug] as const,
  lesson: (lessonId: string) => ["lesson", lessonId] as const,
  myCourses: ["me", "courses"] as const,
  myCertificates: ["me", "certificates"] as const,
  certificate: (code: string) => ["certificate", code] as const,
  me: ["me"] as const,
};

export function useCourses(query: endpoints.CourseQuery) {
  return useQuery({
    queryKey: keys.courses(query),
    queryFn: () => endpoints.listCourses(query),
    placeholderData: keepPreviousData,
  });
}

export function useCourse(idOrSlug: string) {
  const { status } = useSession();
  return useQuery({
    // is_enrolled depends on who asks, so the key includes the session status.
    queryKey: [...keys.course(idOrSlug), status],
    queryFn: () => endpoints.getCourse(idOrSlug),
    enabled: status !== "unknown",
  });
}

export function useLesson(lessonId: string, enabled = true) {
  return useQuery({
    queryKey: keys.lesson(lessonId),
    queryFn: () => endpoints.getLesson(lessonId),
    enabled,
  });
}

export function useMyCourses() {
  // 100 is the platform's page limit; a learner with more enrolments sees the newest 100.
  return useQuery({
    queryKey: keys.myCourses,
    queryFn: () => endpoints.listMyCourses({ limit: 100 }),
  });
}

/** My certificates by course id (one request for "my learning" and the course page). */
export function useMyCertificates(enabled = true) {
  return useQuery({
    queryKey: keys.myCertificates,
    queryFn: endpoints.listMyCertificates,
    enabled,
    select: (items) => new Map(items.map((item) => [item.course_id, item])),
  });
}

export function useCertificate(code: string) {
  return useQuery({
    queryKey: keys.certificate(code),
    queryFn: () => endpoints.getCertificate(code),
    retry: false,
  });
}

/** After enrolling, completing or a quiz attempt: outline progress, lessons, my learning. */
function useInvalidateLearning() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ["course"] }),
      client.invalidateQueries({ queryKey: ["lesson"] }),
      client.invalidateQueries({ queryKey: keys.myCourses }),
      client.invalidateQueries({ queryKey: keys.myCertificates }),
    ]);
}

export function useEnroll() {
  const invalidate = useInvalidateLearning();
  return useMutation({
    mutationFn: (courseId: string) => endpoints.enroll(courseId),
    onSuccess: () => invalidate(),
  });
}

export function useUnenroll() {
  const invalidate = useInvalidateLearning();
  return useMutation({
    mutationFn: (courseId: string) => endpoints.unenroll(courseId),
    onSuccess: () => invalidate(),
  });
}

export function useCompleteLesson() {
  const invalidate = useInvalidateLearning();
  return useMutation({
    mutationFn: (lessonId: string) => endpoints.completeLesson(lessonId),
    onSuccess: () => invalidate(),
  });
}

export function useSubmitAttempt(lessonId: string) {
  const invalidate = useInvalidateLearning();
  return useMutation({
    mutationFn: (answers: AnswerInput[]) => endpoints.submitAttempt(lessonId, answers),
    onSuccess: () => invalidate(),
  });
}
