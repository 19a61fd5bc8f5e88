import { useMemo } from "react";
import { renderMarkdown, type MarkdownOptions } from "../lib/markdown";

/** Renders Markdown sanitised by DOMPurify (see lib/markdown.ts); raw HTML cannot run. */
export function Markdown({ source, title, headingOffset = 1 }: { source: string } & MarkdownOptions) {
  const html = useMemo(
    () => renderMarkdown(source, { title, headingOffset }),
    [source, title, headingOffset],
  );
  // Safe: the HTML was sanitised by DOMPurify in renderMarkdown.
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
