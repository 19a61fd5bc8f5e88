import {
  Button,
  Group,
  NativeSelect,
  Pagination,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import type { CourseSort } from "../api/endpoints";
import type { CourseLevel } from "../api/types";
import { useCourses } from "../api/queries";
import { CourseCard } from "../components/CourseCard";
import { ErrorView } from "../components/ErrorView";
import { PageLoader } from "../components/PageLoader";
import { useLabels } from "../lib/labels";
import { usePageTitle } from "../lib/usePageTitle";

export const PAGE_SIZE = 12;
const LEVELS: CourseLevel[] = ["beginner", "intermediate", "advanced"];
const LANGUAGES = ["id", "en"];
const SORTS: CourseSort[] = ["newest", "title", "popularity"];

export default function Catalogue() {
  const { t } = useTranslation();
  const labels = useLabels();
  usePageTitle(t("catalogue.title"));
  const [params, setParams] = useSearchParams();

  const q = params.get("q") ?? "";
  const levelParam = params.get("level") ?? "";
  const level = (LEVELS as string[]).includes(levelParam) ? (levelParam as CourseLevel) : "";
  const language = params.get("language") ?? "";
  const tag = params.get("tag") ?? "";
  const sortParam = params.get("sort");
  const sort: CourseSort = SORTS.includes(sortParam as CourseSort)
    ? (sortParam as CourseSort)
    : "newest";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!("page" in changes)) next.delete("page"); // a new filter starts at page 1
    setParams(next, { replace: "q" in changes || "tag" in changes });
  };

  // The search box updates the URL a moment after typing stops.
  const [text, setText] = useState(q);
  const [debounced] = useDebouncedValue(text, 300);
  // Follow the URL (back button, "clear filters") without eating a space being typed.
  useEffect(() => setText((current) => (current.trim() === q ? current : q)), [q]);
  useEffect(() => {
    if (debounced.trim() !== q) update({ q: debounced.trim() });
    // Runs only when the debounced text changes, not when other parameters do.
  }, [debounced]);

  const [tagText, setTagText] = useState(tag);
  const [debouncedTag] = useDebouncedValue(tagText, 300);
  useEffect(() => setTagText((current) => (current.trim() === tag ? current : tag)), [tag]);
  useEffect(() => {
    if (debouncedTag.trim() !== tag) update({ tag: debouncedTag.trim() });
    // Runs only when the debounced text changes, not when other parameters do.
  }, [debouncedTag]);

  const query = {
    q: q || undefined,
    level: level || undefined,
    language: language || undefined,
    tag: tag || undefined,
    sort,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const courses = useCourses(query);
  const total = courses.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update({ q: text.trim() });
  };
  const any = { value: "", label: t("catalogue.any") };

  return (
    <Stack gap="lg">
      <Title order={1}>{t("catalogue.title")}</Title>
      <form role="search" onSubmit={submit} aria-label={t("catalogue.search")}>
        <Stack gap="sm">
          <TextInput
            type="search"
            label={t("catalogue.search")}
            placeholder={t("catalogue.searchPlaceholder")}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
          />
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
            <NativeSelect
              label={t("catalogue.level")}
              value={level}
              onChange={(event) => update({ level: event.currentTarget.value })}
              data={[any, ...LEVELS.map((value) => ({ value, label: labels.level(value) }))]}
            />
            <NativeSelect
              label={t("catalogue.language")}
              value={language}
              onChange={(event) => update({ language: event.currentTarget.value })}
              data={[
                any,
                ...LANGUAGES.map((value) => ({ value, label: labels.courseLanguage(value) })),
              ]}
            />
            <TextInput
              label={t("catalogue.tag")}
              placeholder={t("catalogue.tagPlaceholder")}
              value={tagText}
              onChange={(event) => setTagText(event.currentTarget.value)}
            />
            <NativeSelect
              label={t("catalogue.sort")}
              value={sort}
              onChange={(event) => update({ sort: event.currentTarget.value })}
              data={[
                { value: "newest", label: t("catalogue.sortNewest") },
                { value: "title", label: t("catalogue.sortTitle") },
                { value: "popularity", label: t("catalogue.sortPopularity") },
              ]}
            />
          </SimpleGrid>
          <button type="submit" className="visually-hidden" tabIndex={-1}>
            {t("catalogue.search")}
          </button>
        </Stack>
      </form>

      {courses.isPending ? (
        <PageLoader />
      ) : courses.isError ? (
        <ErrorView error={courses.error} onRetry={() => void courses.refetch()} />
      ) : (
        <>
          <Group justify="space-between">
            <Text role="status" aria-live="polite" data-testid="result-count">
              {t("catalogue.results", { count: total })}
            </Text>
            {q || level || language || tag ? (
              <Button variant="subtle" size="compact-sm" onClick={() => setParams(new URLSearchParams())}>
                {t("catalogue.reset")}
              </Button>
            ) : null}
          </Group>
          {courses.data.items.length === 0 ? (
            <Text c="dimmed">{t("catalogue.empty")}</Text>
          ) : (
            <SimpleGrid
              cols={{ base: 1, sm: 2, lg: 3 }}
              component="ul"
              style={{ listStyle: "none", padding: 0, margin: 0 }}
              aria-busy={courses.isFetching}
            >
              {courses.data.items.map((course) => (
                <li key={course.id}>
                  <CourseCard course={course} />
                </li>
              ))}
            </SimpleGrid>
          )}
          {pages > 1 ? (
            <Group justify="center" component="nav" aria-label={t("catalogue.pagination")}>
              <Pagination
                total={pages}
                value={page}
                onChange={(value) => update({ page: value > 1 ? String(value) : "" })}
                getControlProps={(control) =>
                  control === "previous"
                    ? { "aria-label": t("catalogue.previousPage") }
                    : control === "next"
                      ? { "aria-label": t("catalogue.nextPage") }
                      : {}
                }
                getItemProps={(value) => ({ "aria-label": t("catalogue.page", { page: value }) })}
              />
            </Group>
          ) : null}
        </>
      )}
    </Stack>
  );
}
