/**
 * The analysis options the workbench offers, described as data: the form renders whatever is
 * listed here, and `toQuery` turns the values into `POST /analytics/analyze` query parameters.
 * A new API option is one more entry (plus its label and help text in the devPortal strings,
 * `devPortal.options.<name>`).
 */

import type { AnalyzeOptions } from "../../../api/developer";

export type OptionName = keyof AnalyzeOptions & string;

interface BaseSpec<N extends OptionName> {
  name: N;
}

export interface ChoiceSpec<N extends OptionName = OptionName> extends BaseSpec<N> {
  kind: "choice";
  /** Values the API accepts; each has a label at `devPortal.options.<name>.<labelKey>`. */
  choices: { value: string; labelKey: string }[];
  defaultValue: string;
}

export interface SwitchSpec<N extends OptionName = OptionName> extends BaseSpec<N> {
  kind: "switch";
  defaultValue: boolean;
}

export interface NumberSpec<N extends OptionName = OptionName> extends BaseSpec<N> {
  kind: "number";
  min: number;
  max: number;
  /** null: leave the parameter out (the API's default). */
  defaultValue: number | null;
  /** Only shown when this switch is on. */
  dependsOn?: OptionName;
}

export interface TextSpec<N extends OptionName = OptionName> extends BaseSpec<N> {
  kind: "text";
  defaultValue: string;
  maxLength: number;
}

export type OptionSpec = ChoiceSpec | SwitchSpec | NumberSpec | TextSpec;
export type OptionValues = Record<string, string | number | boolean | null>;

export const OPTION_SPECS: OptionSpec[] = [
  {
    name: "frequency",
    kind: "choice",
    defaultValue: "auto",
    choices: ["auto", "D", "W", "M", "Q", "Y"].map((value) => ({ value, labelKey: value })),
  },
  { name: "category", kind: "text", defaultValue: "", maxLength: 200 },
  {
    name: "decimal",
    kind: "choice",
    defaultValue: "auto",
    choices: [
      { value: "auto", labelKey: "auto" },
      { value: ".", labelKey: "dot" },
      { value: ",", labelKey: "comma" },
    ],
  },
  {
    name: "on_bad_rows",
    kind: "choice",
    defaultValue: "skip",
    choices: [
      { value: "skip", labelKey: "skip" },
      { value: "reject", labelKey: "reject" },
    ],
  },
  { name: "include_forecast", kind: "switch", defaultValue: true },
  {
    name: "horizon",
    kind: "number",
    min: 1,
    max: 366,
    defaultValue: null,
    dependsOn: "include_forecast",
  },
];

/** Options the workbench always sends: it draws charts from the chart-ready JSON. */
export const FIXED_OPTIONS: AnalyzeOptions = { include_visualizations: true, export_format: "json" };

export function defaultValues(specs: OptionSpec[] = OPTION_SPECS): OptionValues {
  return Object.fromEntries(specs.map((spec) => [spec.name, spec.defaultValue]));
}

export function isVisible(spec: OptionSpec, values: OptionValues): boolean {
  return spec.kind !== "number" || !spec.dependsOn || values[spec.dependsOn] === true;
}

/** The query of `POST /analytics/analyze`: empty text and unset numbers are left out. */
export function toQuery(values: OptionValues, specs: OptionSpec[] = OPTION_SPECS): AnalyzeOptions {
  const query: Record<string, unknown> = { ...FIXED_OPTIONS };
  for (const spec of specs) {
    const value = values[spec.name];
    if (!isVisible(spec, values)) continue;
    if (value === null || value === undefined) continue;
    if (typeof value === "string" && !value.trim()) continue;
    query[spec.name] = typeof value === "string" ? value.trim() : value;
  }
  return query as AnalyzeOptions;
}
