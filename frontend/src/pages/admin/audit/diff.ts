/** Old and new values of an audit row, one line per field, for a side-by-side view. */

export interface ValueRow {
  field: string;
  old: string;
  new: string;
  changed: boolean;
}

function show(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

export function valueRows(
  oldValues: Record<string, unknown> | null | undefined,
  newValues: Record<string, unknown> | null | undefined,
): ValueRow[] {
  const before = oldValues ?? {};
  const after = newValues ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return fields.map((field) => {
    const old = show(before[field]);
    const next = show(after[field]);
    return { field, old, new: next, changed: old !== next };
  });
}
