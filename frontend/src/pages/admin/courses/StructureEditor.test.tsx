import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { renderRoutes, setLanguage } from "../../../test/render";
import type { AdminCourse, AdminLesson, CourseChange } from "../adminApi";
import { StructureEditor } from "./StructureEditor";

function lesson(id: string, sectionId: string, position: number): AdminLesson {
  return {
    id,
    course_id: "c1",
    section_id: sectionId,
    title: `Pelajaran ${id}`,
    kind: "text",
    position,
    body_md: "Isi",
    video_url: null,
    duration_minutes: null,
    is_required: true,
    questions: null,
    pass_mark: null,
    max_attempts: null,
  review_policy: "after_pass_or_last_attempt",
    created_at: "2026-12-01T00:00:00Z",
    updated_at: "2026-12-01T00:00:00Z",
  };
}

const course = {
  id: "c1",
  slug: "kursus",
  title: "Kursus",
  status: "published",
  sections: [
    { id: "s1", course_id: "c1", title: "Bagian A", position: 1, lessons: [lesson("a", "s1", 1), lesson("b", "s1", 2)] },
    { id: "s2", course_id: "c1", title: "Bagian B", position: 2, lessons: [lesson("c", "s2", 1)] },
  ],
} as unknown as AdminCourse;

function setUp() {
  const apply = vi.fn<(change: CourseChange) => void>();
  renderRoutes([{ path: "/", element: <StructureEditor course={course} apply={apply} busy={false} /> }], "/");
  return apply;
}

beforeEach(async () => {
  await setLanguage("id");
});

describe("StructureEditor", () => {
  it("moves lessons and sections with the arrow buttons", async () => {
    const apply = setUp();
    expect(screen.getByRole("button", { name: "Naikkan Pelajaran a" })).toBeDisabled();
    await userEvent.click(screen.getByRole("button", { name: "Turunkan Pelajaran a" }));
    expect(apply).toHaveBeenLastCalledWith({ kind: "orderLessons", sectionId: "s1", lessonIds: ["b", "a"] });
    await userEvent.click(screen.getByRole("button", { name: "Naikkan Bagian B" }));
    expect(apply).toHaveBeenLastCalledWith({ kind: "orderSections", sectionIds: ["s2", "s1"] });
  });

  it("moves a lesson to another section and adds a section", async () => {
    const apply = setUp();
    await userEvent.selectOptions(screen.getByLabelText("Pindahkan Pelajaran c ke bagian"), "s1");
    expect(apply).toHaveBeenLastCalledWith({ kind: "moveLesson", lessonId: "c", sectionId: "s1" });
    await userEvent.type(screen.getByLabelText("Judul bagian"), "Bagian C");
    await userEvent.click(screen.getByRole("button", { name: "Tambah bagian" }));
    expect(apply).toHaveBeenLastCalledWith({ kind: "addSection", title: "Bagian C" });
  });

  it("gives every drag handle a name and asks before deleting", async () => {
    const apply = setUp();
    expect(screen.getByRole("button", { name: "Seret untuk memindahkan Bagian A" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Seret untuk memindahkan Pelajaran c" })).toBeInTheDocument();
    await userEvent.click(screen.getAllByRole("button", { name: "Hapus bagian" })[1]!);
    expect(apply).not.toHaveBeenCalled();
    await userEvent.click(await screen.findByRole("button", { name: "Ya, lanjutkan" }));
    expect(apply).toHaveBeenLastCalledWith({ kind: "deleteSection", sectionId: "s2" });
  });
});
