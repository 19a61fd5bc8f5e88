import { describe, expect, it } from "vitest";
import { arrayMove, lessonDrop, sectionDrop, shift } from "./reorder";

const outline = [
  { id: "s1", lessonIds: ["a", "b", "c"] },
  { id: "s2", lessonIds: ["d"] },
  { id: "s3", lessonIds: [] },
];

describe("arrayMove and shift", () => {
  it("moves an element and leaves the input untouched", () => {
    const items = ["a", "b", "c", "d"];
    expect(arrayMove(items, 0, 2)).toEqual(["b", "c", "a", "d"]);
    expect(arrayMove(items, 3, 0)).toEqual(["d", "a", "b", "c"]);
    expect(items).toEqual(["a", "b", "c", "d"]);
    expect(arrayMove(items, 5, 0)).toEqual(items);
  });

  it("shifts up and down, and refuses at the edges", () => {
    expect(shift(["a", "b", "c"], "b", -1)).toEqual(["b", "a", "c"]);
    expect(shift(["a", "b", "c"], "b", 1)).toEqual(["a", "c", "b"]);
    expect(shift(["a", "b", "c"], "a", -1)).toBeNull();
    expect(shift(["a", "b", "c"], "c", 1)).toBeNull();
    expect(shift(["a", "b", "c"], "x", 1)).toBeNull();
  });
});

describe("lessonDrop", () => {
  it("reorders within a section", () => {
    expect(lessonDrop(outline, "a", "c")).toEqual({
      kind: "reorder",
      sectionId: "s1",
      lessonIds: ["b", "c", "a"],
    });
    expect(lessonDrop(outline, "c", "a")).toEqual({
      kind: "reorder",
      sectionId: "s1",
      lessonIds: ["c", "a", "b"],
    });
  });

  it("moves to another section at the lesson dropped on, or at the end of a section", () => {
    expect(lessonDrop(outline, "b", "d")).toEqual({
      kind: "move",
      lessonId: "b",
      sectionId: "s2",
      position: 1,
    });
    expect(lessonDrop(outline, "b", "s2")).toEqual({
      kind: "move",
      lessonId: "b",
      sectionId: "s2",
      position: 2,
    });
    expect(lessonDrop(outline, "d", "s3")).toEqual({
      kind: "move",
      lessonId: "d",
      sectionId: "s3",
      position: 1,
    });
  });

  it("does nothing for a drop on itself, its own section or something unknown", () => {
    expect(lessonDrop(outline, "a", "a")).toBeNull();
    expect(lessonDrop(outline, "a", "s1")).toBeNull();
    expect(lessonDrop(outline, "a", "zzz")).toBeNull();
    expect(lessonDrop(outline, "zzz", "a")).toBeNull();
  });
});

describe("sectionDrop", () => {
  it("reorders sections, null when nothing moves", () => {
    expect(sectionDrop(["s1", "s2", "s3"], "s3", "s1")).toEqual(["s3", "s1", "s2"]);
    expect(sectionDrop(["s1", "s2", "s3"], "s1", "s1")).toBeNull();
    expect(sectionDrop(["s1", "s2"], "s1", "x")).toBeNull();
  });
});
