/**
 * Domain types used by the pages. Provisional hand-written shapes from the API contract; they
 * become aliases of the generated OpenAPI schema (`schema.d.ts`) once the backend lands.
 */

export type Role = "learner" | "developer" | "admin";
export type Locale = "id" | "en";
export type LessonKind = "text" | "video" | "quiz";

export interface User {
  id: string;
  email: string;
  full_name: string;
  role: Role;
  locale: Locale;
}

export interface CourseSummary {
  id: string;
  slug: string;
  title: string;
  summary: string;
  level: string;
  tags: string[];
  language: string;
  estimated_minutes: number | null;
}

export interface CoursePage {
  items: CourseSummary[];
  total: number;
  limit: number;
  offset: number;
}

export interface LessonOutline {
  id: string;
  title: string;
  kind: LessonKind;
  position: number;
  duration_minutes: number | null;
}

export interface SectionOutline {
  id: string;
  title: string;
  position: number;
  lessons: LessonOutline[];
}

export interface CourseDetail extends CourseSummary {
  description_md: string;
  sections: SectionOutline[];
  is_enrolled: boolean;
}

export interface QuizOption {
  id: string;
  text: string;
}

export interface QuizQuestion {
  id: string;
  prompt: string;
  multiple: boolean;
  options: QuizOption[];
}

export interface Lesson {
  id: string;
  course_id: string;
  section_id: string;
  title: string;
  kind: LessonKind;
  body_md: string | null;
  video_url: string | null;
  questions: QuizQuestion[];
  pass_mark: number | null;
}

export interface QuestionResult {
  question_id: string;
  correct: boolean;
  explanation: string | null;
  correct_option_ids: string[];
}

export interface AttemptResult {
  score: number;
  passed: boolean;
  pass_mark: number;
  results: QuestionResult[];
}

export interface MyCourse {
  course: CourseSummary;
  progress_percent: number;
  last_lesson_id: string | null;
  completed: boolean;
}

export interface CourseProgress {
  course_id: string;
  progress_percent: number;
  completed_lesson_ids: string[];
  completed: boolean;
}

export interface AnswerInput {
  question_id: string;
  option_ids: string[];
}
