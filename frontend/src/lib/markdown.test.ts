import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown";
import { youtubeEmbedUrl } from "./video";

describe("renderMarkdown", () => {
  it("renders headings, lists and emphasis", () => {
    const html = renderMarkdown("# Dokumen ekspor\n\n- **PEB**\n- Invoice");
    expect(html).toContain("<h1>Dokumen ekspor</h1>");
    expect(html).toContain("<strong>PEB</strong>");
    expect(html).toContain("<li>Invoice</li>");
  });

  it("nests headings under the page title and drops a repeated title", () => {
    const html = renderMarkdown("# Apa itu ekspor?\n\nTeks.\n\n## Dokumen\n\n# Lain", {
      title: "Apa  itu Ekspor?",
      headingOffset: 1,
    });
    expect(html).not.toContain("Apa itu ekspor?");
    expect(html).toContain("<h3>Dokumen</h3>");
    expect(html).toContain("<h2>Lain</h2>");
  });

  it("removes scripts, event handlers and javascript: links", () => {
    const html = renderMarkdown(
      'Hi <script>alert(1)</script><img src="x.png" onerror="alert(2)"> [x](javascript:alert(3)) <iframe src="https://evil.example"></iframe>',
    );
    expect(html).not.toMatch(/<script|onerror|javascript:|<iframe/i);
    expect(html).toContain('src="x.png"');
  });

  it("opens external links in a new tab without an opener", () => {
    const html = renderMarkdown("[Kemendag](https://www.kemendag.go.id)");
    expect(html).toContain('target="_blank"');
    expect(html).toContain('rel="noopener noreferrer"');
  });
});

describe("youtubeEmbedUrl", () => {
  it.each([
    ["https://www.youtube.com/watch?v=dQw4w9WgXcQ", "dQw4w9WgXcQ"],
    ["https://youtu.be/dQw4w9WgXcQ", "dQw4w9WgXcQ"],
    ["https://www.youtube.com/embed/dQw4w9WgXcQ", "dQw4w9WgXcQ"],
    ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=3", "dQw4w9WgXcQ"],
  ])("embeds %s without tracking cookies", (url, id) => {
    expect(youtubeEmbedUrl(url)).toBe(`https://www.youtube-nocookie.com/embed/${id}?rel=0`);
  });

  it.each(["https://vimeo.com/123", "javascript:alert(1)", "not a url", "https://youtube.com/watch?v=<x>"])(
    "refuses %s",
    (url) => {
      expect(youtubeEmbedUrl(url)).toBeNull();
    },
  );
});
