/**
 * Markdown to safe HTML: `marked` parses (GitHub-flavoured), DOMPurify removes scripts, event
 * handlers, `javascript:` URLs and anything else that could run. Course text is written by admins,
 * but a stolen admin account must not become stored XSS for every learner.
 */

import DOMPurify from "dompurify";
import { Marked, type Token } from "marked";

const marked = new Marked({ gfm: true, breaks: false, async: false });

export interface MarkdownOptions {
  /** Drop a leading heading that repeats the page title (shown already as the page's h1). */
  title?: string;
  /** Push headings down so they nest under the page's own h1 (1: `#` becomes h2). */
  headingOffset?: number;
}

let hooked = false;
function installHooks(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook("afterSanitizeAttributes", (node) => {
    if (node.tagName === "A") {
      const href = node.getAttribute("href") ?? "";
      if (/^https?:\/\//i.test(href)) {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
      }
    }
    if (node.tagName === "IMG") node.setAttribute("loading", "lazy");
  });
}

const normalise = (text: string) => text.trim().replace(/\s+/g, " ").toLowerCase();

export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
  installHooks();
  const tokens = marked.lexer(source);
  const first = tokens.find((token: Token) => token.type !== "space");
  if (
    options.title &&
    first?.type === "heading" &&
    normalise(first.text) === normalise(options.title)
  ) {
    tokens.splice(tokens.indexOf(first), 1);
  }
  const offset = options.headingOffset ?? 0;
  if (offset) {
    marked.walkTokens(tokens, (token) => {
      if (token.type === "heading") token.depth = Math.min(6, token.depth + offset);
    });
  }
  const html = marked.parser(tokens);
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ["style", "iframe", "form", "input", "button", "textarea", "select"],
    FORBID_ATTR: ["style"],
    ADD_ATTR: ["target"],
  });
}
