import { useMemo } from "react";
import { renderMarkdown } from "../lib/markdown";

/** Renders Markdown sanitised by DOMPurify (see lib/markdown.ts); raw HTML cannot run. */
export function Markdown({ source }: { source: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  // Safe: the HTML was sanitised by DOMPurify in renderMarkdown.
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
