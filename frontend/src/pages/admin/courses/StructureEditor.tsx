import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
} from "@dnd-kit/core";
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  NativeSelect,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useEffect, useMemo, useState, type CSSProperties, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { AdminCourse, AdminLesson, AdminSection, CourseChange } from "../adminApi";
import { ConfirmButton } from "../ui";
import { lessonDrop, sectionDrop, shift, type SectionLessons } from "./reorder";

type Apply = (change: CourseChange) => void;

const SECTION = "section:";
const LESSON = "lesson:";
const idOf = (dndId: unknown) => String(dndId).replace(/^(section|lesson):/, "");

/** Lessons snap to the lesson under the pointer, else to the section it is in; keyboard
 * moves (no pointer) go to the nearest item of the same kind. */
const collisions: CollisionDetection = (args) => {
  const kind = String(args.active.id).startsWith(SECTION) ? SECTION : LESSON;
  const only = (prefix: string) => ({
    ...args,
    droppableContainers: args.droppableContainers.filter((c) => String(c.id).startsWith(prefix)),
  });
  if (kind === SECTION) return closestCenter(only(SECTION));
  const underPointer = pointerWithin(only(LESSON));
  if (underPointer.length) return underPointer;
  const sections = pointerWithin(only(SECTION));
  if (sections.length) return sections;
  return closestCenter(only(LESSON));
};

function outlineOf(course: AdminCourse): SectionLessons[] {
  return course.sections.map((section) => ({
    id: section.id,
    lessonIds: section.lessons.map((lesson) => lesson.id),
  }));
}

/** Sections and lessons: add, rename, delete, reorder (buttons or drag and drop), move. */
export function StructureEditor({
  course,
  apply,
  busy,
}: {
  course: AdminCourse;
  apply: Apply;
  busy: boolean;
}) {
  const { t } = useTranslation();
  // Drops show at once; the server's answer (a refetch) then replaces this.
  const [outline, setOutline] = useState<SectionLessons[]>(() => outlineOf(course));
  useEffect(() => setOutline(outlineOf(course)), [course]);
  const sections = useMemo(() => new Map(course.sections.map((s) => [s.id, s])), [course]);
  const lessons = useMemo(
    () => new Map(course.sections.flatMap((s) => s.lessons.map((l) => [l.id, l] as const))),
    [course],
  );
  const titleOf = (dndId: unknown) => {
    const id = idOf(dndId);
    return sections.get(id)?.title ?? lessons.get(id)?.title ?? id;
  };
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const announcements: Announcements = {
    onDragStart: ({ active }) => t("adminConsole.courses.dnd.picked", { title: titleOf(active.id) }),
    onDragOver: ({ active, over }) =>
      over ? t("adminConsole.courses.dnd.over", { title: titleOf(active.id), target: titleOf(over.id) }) : undefined,
    onDragEnd: ({ active, over }) =>
      over ? t("adminConsole.courses.dnd.dropped", { title: titleOf(active.id), target: titleOf(over.id) }) : undefined,
    onDragCancel: ({ active }) => t("adminConsole.courses.dnd.cancelled", { title: titleOf(active.id) }),
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over) return;
    if (String(active.id).startsWith(SECTION)) {
      const order = sectionDrop(outline.map((s) => s.id), idOf(active.id), idOf(over.id));
      if (!order) return;
      setOutline(order.map((id) => outline.find((s) => s.id === id)!));
      apply({ kind: "orderSections", sectionIds: order });
      return;
    }
    const drop = lessonDrop(outline, idOf(active.id), idOf(over.id));
    if (!drop) return;
    if (drop.kind === "reorder") {
      setOutline(outline.map((s) => (s.id === drop.sectionId ? { ...s, lessonIds: drop.lessonIds } : s)));
      apply({ kind: "orderLessons", sectionId: drop.sectionId, lessonIds: drop.lessonIds });
    } else {
      setOutline(
        outline.map((s) => {
          const kept = s.lessonIds.filter((id) => id !== drop.lessonId);
          if (s.id !== drop.sectionId) return { ...s, lessonIds: kept };
          kept.splice(drop.position - 1, 0, drop.lessonId);
          return { ...s, lessonIds: kept };
        }),
      );
      apply({ kind: "moveLesson", lessonId: drop.lessonId, sectionId: drop.sectionId, position: drop.position });
    }
  };

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed" id="structure-hint">
        {t("adminConsole.courses.structureHint")}
      </Text>
      {outline.length === 0 ? <Text>{t("adminConsole.courses.noSections")}</Text> : null}
      <DndContext
        sensors={sensors}
        collisionDetection={collisions}
        onDragEnd={onDragEnd}
        accessibility={{
          announcements,
          screenReaderInstructions: { draggable: t("adminConsole.courses.structureHint") },
        }}
      >
        <SortableContext items={outline.map((s) => SECTION + s.id)} strategy={verticalListSortingStrategy}>
          {outline.map((entry, index) => {
            const section = sections.get(entry.id);
            if (!section) return null;
            return (
              <SectionCard
                key={entry.id}
                course={course}
                section={section}
                lessonIds={entry.lessonIds}
                lessons={lessons}
                sectionIds={outline.map((s) => s.id)}
                index={index}
                apply={apply}
                busy={busy}
              />
            );
          })}
        </SortableContext>
      </DndContext>
      <AddSection apply={apply} busy={busy} />
    </Stack>
  );
}

function useSortableStyle(id: string) {
  const sortable = useSortable({ id });
  const { transform, transition, isDragging } = sortable;
  const style: CSSProperties = {
    transform: transform ? `translate3d(${transform.x}px, ${transform.y}px, 0)` : undefined,
    transition: transition ?? undefined,
    opacity: isDragging ? 0.6 : 1,
    position: "relative",
    zIndex: isDragging ? 2 : undefined,
  };
  return { ...sortable, style };
}

function DragHandle({
  label,
  attributes,
  listeners,
  setRef,
}: {
  label: string;
  attributes: ReturnType<typeof useSortable>["attributes"];
  listeners: ReturnType<typeof useSortable>["listeners"];
  setRef: (element: HTMLElement | null) => void;
}) {
  return (
    <ActionIcon
      ref={setRef}
      variant="subtle"
      color="gray"
      aria-label={label}
      style={{ cursor: "grab", touchAction: "none" }}
      {...attributes}
      {...listeners}
    >
      <span aria-hidden="true">⠿</span>
    </ActionIcon>
  );
}

function MoveButtons({
  title,
  first,
  last,
  onMove,
  disabled,
}: {
  title: string;
  first: boolean;
  last: boolean;
  onMove: (delta: -1 | 1) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Group gap={2} wrap="nowrap">
      <ActionIcon
        variant="default"
        aria-label={t("adminConsole.courses.moveUp", { title })}
        disabled={first || disabled}
        onClick={() => onMove(-1)}
      >
        <span aria-hidden="true">↑</span>
      </ActionIcon>
      <ActionIcon
        variant="default"
        aria-label={t("adminConsole.courses.moveDown", { title })}
        disabled={last || disabled}
        onClick={() => onMove(1)}
      >
        <span aria-hidden="true">↓</span>
      </ActionIcon>
    </Group>
  );
}

function SectionCard({
  course,
  section,
  lessonIds,
  lessons,
  sectionIds,
  index,
  apply,
  busy,
}: {
  course: AdminCourse;
  section: AdminSection;
  lessonIds: string[];
  lessons: Map<string, AdminLesson>;
  sectionIds: string[];
  index: number;
  apply: Apply;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const sortable = useSortableStyle(SECTION + section.id);
  const [renaming, setRenaming] = useState(false);
  const [title, setTitle] = useState(section.title);
  const headingId = `section-${section.id}`;
  return (
    <Card withBorder padding="sm" ref={sortable.setNodeRef} style={sortable.style} component="section" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
            <DragHandle
              label={t("adminConsole.courses.dragHandle", { title: section.title })}
              attributes={sortable.attributes}
              listeners={sortable.listeners}
              setRef={sortable.setActivatorNodeRef}
            />
            {renaming ? (
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  if (!title.trim()) return;
                  apply({ kind: "renameSection", sectionId: section.id, title: title.trim() });
                  setRenaming(false);
                }}
              >
                <Group gap="xs" wrap="wrap">
                  <TextInput
                    aria-label={t("adminConsole.courses.sectionTitle")}
                    value={title}
                    onChange={(event) => setTitle(event.currentTarget.value)}
                    maxLength={200}
                    data-autofocus
                    autoFocus
                  />
                  <Button type="submit" size="xs">
                    {t("adminConsole.common.save")}
                  </Button>
                  <Button size="xs" variant="subtle" onClick={() => setRenaming(false)}>
                    {t("adminConsole.common.cancel")}
                  </Button>
                </Group>
              </form>
            ) : (
              <Title order={3} size="h4" id={headingId} style={{ overflowWrap: "anywhere" }}>
                {index + 1}. {section.title}
              </Title>
            )}
          </Group>
          <Group gap="xs" wrap="wrap">
            <MoveButtons
              title={section.title}
              first={index === 0}
              last={index === sectionIds.length - 1}
              disabled={busy}
              onMove={(delta) => {
                const order = shift(sectionIds, section.id, delta);
                if (order) apply({ kind: "orderSections", sectionIds: order });
              }}
            />
            {!renaming ? (
              <Button
                size="xs"
                variant="default"
                onClick={() => {
                  setTitle(section.title);
                  setRenaming(true);
                }}
              >
                {t("adminConsole.courses.rename")}
              </Button>
            ) : null}
            <ConfirmButton
              size="xs"
              variant="subtle"
              color="red"
              message={t("adminConsole.courses.confirmDeleteSection", { title: section.title })}
              onConfirm={() => apply({ kind: "deleteSection", sectionId: section.id })}
            >
              {t("adminConsole.courses.deleteSection")}
            </ConfirmButton>
          </Group>
        </Group>
        <SortableContext items={lessonIds.map((id) => LESSON + id)} strategy={verticalListSortingStrategy}>
          <Stack gap={4} component="ol" style={{ listStyle: "none", margin: 0, padding: 0, minHeight: "2.5rem" }}>
            {lessonIds.length === 0 ? (
              <Text size="sm" c="dimmed" component="li">
                {t("adminConsole.courses.emptySection")}
              </Text>
            ) : null}
            {lessonIds.map((id, position) => {
              const lesson = lessons.get(id);
              if (!lesson) return null;
              return (
                <LessonRow
                  key={id}
                  course={course}
                  lesson={lesson}
                  sectionId={section.id}
                  siblings={lessonIds}
                  position={position}
                  apply={apply}
                  busy={busy}
                />
              );
            })}
          </Stack>
        </SortableContext>
        <AddLessonLinks courseId={course.id} sectionId={section.id} />
      </Stack>
    </Card>
  );
}

function LessonRow({
  course,
  lesson,
  sectionId,
  siblings,
  position,
  apply,
  busy,
}: {
  course: AdminCourse;
  lesson: AdminLesson;
  sectionId: string;
  siblings: string[];
  position: number;
  apply: Apply;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const sortable = useSortableStyle(LESSON + lesson.id);
  return (
    <li ref={sortable.setNodeRef} style={sortable.style}>
      <Group
        justify="space-between"
        wrap="wrap"
        gap="xs"
        p={6}
        style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 6, background: "var(--mantine-color-body)" }}
      >
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          <DragHandle
            label={t("adminConsole.courses.dragHandle", { title: lesson.title })}
            attributes={sortable.attributes}
            listeners={sortable.listeners}
            setRef={sortable.setActivatorNodeRef}
          />
          <Badge variant="light" color="gray" style={{ flexShrink: 0 }}>
            {t(`adminConsole.courses.kinds.${lesson.kind}`)}
          </Badge>
          <Anchor component={Link} to={`/admin/courses/${course.id}/lessons/${lesson.id}`} style={{ overflowWrap: "anywhere" }}>
            {lesson.title}
          </Anchor>
        </Group>
        <Group gap="xs" wrap="wrap">
          <MoveButtons
            title={lesson.title}
            first={position === 0}
            last={position === siblings.length - 1}
            disabled={busy}
            onMove={(delta) => {
              const order = shift(siblings, lesson.id, delta);
              if (order) apply({ kind: "orderLessons", sectionId, lessonIds: order });
            }}
          />
          {course.sections.length > 1 ? (
            <NativeSelect
              size="xs"
              aria-label={t("adminConsole.courses.moveTo", { title: lesson.title })}
              value={sectionId}
              disabled={busy}
              onChange={(event) =>
                apply({ kind: "moveLesson", lessonId: lesson.id, sectionId: event.currentTarget.value })
              }
              data={course.sections.map((s, i) => ({ value: s.id, label: `${i + 1}. ${s.title}` }))}
            />
          ) : null}
          <ConfirmButton
            size="xs"
            variant="subtle"
            color="red"
            message={t("adminConsole.courses.confirmDeleteLesson", { title: lesson.title })}
            onConfirm={() => apply({ kind: "deleteLesson", lessonId: lesson.id })}
          >
            {t("adminConsole.common.delete")}
          </ConfirmButton>
        </Group>
      </Group>
    </li>
  );
}

function AddLessonLinks({ courseId, sectionId }: { courseId: string; sectionId: string }) {
  const { t } = useTranslation();
  const kinds = ["text", "video", "quiz"] as const;
  return (
    <Group gap="xs" wrap="wrap">
      <Text size="sm">{t("adminConsole.courses.addLesson")}:</Text>
      {kinds.map((kind) => (
        <Button
          key={kind}
          size="xs"
          variant="light"
          component={Link}
          to={`/admin/courses/${courseId}/sections/${sectionId}/new-lesson?kind=${kind}`}
        >
          + {t(`adminConsole.courses.kinds.${kind}`)}
        </Button>
      ))}
    </Group>
  );
}

function AddSection({ apply, busy }: { apply: Apply; busy: boolean }): ReactNode {
  const { t } = useTranslation();
  const [title, setTitle] = useState("");
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!title.trim()) return;
        apply({ kind: "addSection", title: title.trim() });
        setTitle("");
      }}
    >
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label={t("adminConsole.courses.sectionTitle")}
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          maxLength={200}
        />
        <Button type="submit" variant="light" disabled={!title.trim()} loading={busy}>
          {t("adminConsole.courses.addSection")}
        </Button>
      </Group>
    </form>
  );
}
