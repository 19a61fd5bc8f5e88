import { describe, expect, it } from "vitest";
import { videoSource, vimeoEmbedUrl, youtubeEmbedUrl } from "./video";

describe("videoSource", () => {
  it("plays the platform's own files natively", () => {
    expect(videoSource("/media/demo-alur-ekspor.webm")).toEqual({
      kind: "file",
      src: "/media/demo-alur-ekspor.webm",
      type: "video/webm",
    });
    expect(videoSource("/media/0b6e-78.mp4")).toMatchObject({ kind: "file", type: "video/mp4" });
  });

  it("embeds YouTube and Vimeo without tracking", () => {
    expect(youtubeEmbedUrl("https://youtu.be/dQw4w9WgXcQ")).toBe(
      "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0",
    );
    expect(vimeoEmbedUrl("https://vimeo.com/76979871")).toBe(
      "https://player.vimeo.com/video/76979871?dnt=1",
    );
    expect(videoSource("https://player.vimeo.com/video/76979871")).toEqual({
      kind: "embed",
      src: "https://player.vimeo.com/video/76979871?dnt=1",
    });
  });

  it("links anything else and refuses unsafe schemes and paths", () => {
    expect(videoSource("https://example.com/talk")).toEqual({
      kind: "link",
      href: "https://example.com/talk",
    });
    expect(videoSource("javascript:alert(1)")).toEqual({ kind: "none" });
    expect(videoSource("/media/../secret.mp4")).toEqual({ kind: "none" });
    expect(videoSource(null)).toEqual({ kind: "none" });
  });
});
