/**
 * Ordering logic of the course structure editor, shared by the move buttons and drag and
 * drop: pure functions from the current outline to the one API change that does it.
 */

export interface SectionLessons {
  id: string;
  lessonIds: string[];
}

/** `items` with the element at `from` moved to `to` (a new array). */
export function arrayMove<T>(items: readonly T[], from: number, to: number): T[] {
  const next = items.slice();
  if (from < 0 || from >= next.length || to < 0 || to >= next.length) return next;
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved as T);
  return next;
}

/** The order after moving `id` one place up (-1) or down (+1); null at an edge or unknown. */
export function shift(ids: readonly string[], id: string, delta: -1 | 1): string[] | null {
  const from = ids.indexOf(id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= ids.length) return null;
  return arrayMove(ids, from, to);
}

export type LessonDrop =
  | { kind: "reorder"; sectionId: string; lessonIds: string[] }
  | { kind: "move"; lessonId: string; sectionId: string; position: number };

function sectionOf(sections: readonly SectionLessons[], lessonId: string) {
  return sections.find((section) => section.lessonIds.includes(lessonId));
}

/**
 * What dropping lesson `activeId` on `overId` means. `overId` is another lesson (take its
 * place) or a section (go to its end). Null when nothing changes.
 */
export function lessonDrop(
  sections: readonly SectionLessons[],
  activeId: string,
  overId: string,
): LessonDrop | null {
  const source = sectionOf(sections, activeId);
  if (!source || activeId === overId) return null;
  const overSection = sections.find((section) => section.id === overId);
  const target = overSection ?? sectionOf(sections, overId);
  if (!target) return null;
  if (target.id === source.id) {
    if (overSection) return null; // dropped on its own section's frame: stays where it is
    const lessonIds = arrayMove(
      source.lessonIds,
      source.lessonIds.indexOf(activeId),
      source.lessonIds.indexOf(overId),
    );
    return { kind: "reorder", sectionId: source.id, lessonIds };
  }
  const position = overSection ? target.lessonIds.length + 1 : target.lessonIds.indexOf(overId) + 1;
  return { kind: "move", lessonId: activeId, sectionId: target.id, position };
}

/** The section order after dropping section `activeId` on section `overId`; null if none. */
export function sectionDrop(
  sectionIds: readonly string[],
  activeId: string,
  overId: string,
): string[] | null {
  const from = sectionIds.indexOf(activeId);
  const to = sectionIds.indexOf(overId);
  if (from < 0 || to < 0 || from === to) return null;
  return arrayMove(sectionIds, from, to);
}
