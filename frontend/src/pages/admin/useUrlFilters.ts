/** List filters kept in the URL (shareable, back button works), shared by the admin lists. */

import { useDebouncedValue } from "@mantine/hooks";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";

export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  /** Set or clear parameters; any change but a page change starts again at page 1. */
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!("page" in changes)) next.delete("page");
    setParams(next, { replace: true });
  };
  /** The parameter's value when it is one of `allowed`, else undefined. */
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const value = params.get(name) ?? "";
    return (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
  };
  return { params, page, update, oneOf };
}

/** A text box bound to URL parameter `name`, written to the URL a moment after typing stops. */
export function useDebouncedParam(
  name: string,
  filters: ReturnType<typeof useUrlFilters>,
): [string, (value: string) => void] {
  const current = filters.params.get(name) ?? "";
  const [text, setText] = useState(current);
  const [debounced] = useDebouncedValue(text, 300);
  useEffect(() => {
    if (debounced.trim() !== current) filters.update({ [name]: debounced.trim() });
    // Runs only when the debounced text changes, not when other parameters do.
  }, [debounced]);
  return [text, setText];
}
