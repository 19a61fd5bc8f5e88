/**
 * How a lesson's video URL is shown: a video uploaded to the platform (`/media/...`) plays in
 * a native <video> element (range requests, seeking); YouTube and Vimeo are embedded (the
 * platform's CSP allows frames from youtube-nocookie.com, youtube.com and player.vimeo.com);
 * anything else becomes a plain link.
 */

export type VideoSource =
  | { kind: "file"; src: string; type: string }
  | { kind: "embed"; src: string }
  | { kind: "link"; href: string }
  | { kind: "none" };

const MEDIA_PATH = /^\/media\/[A-Za-z0-9_-]{1,80}\.(mp4|webm)$/;

export function youtubeEmbedUrl(url: string | null | undefined): string | null {
  const parsed = httpUrl(url);
  if (!parsed) return null;
  const host = parsed.hostname.replace(/^www\.|^m\./, "");
  let id: string | null = null;
  if (host === "youtu.be") id = parsed.pathname.slice(1).split("/")[0] ?? null;
  else if (host === "youtube.com" || host === "youtube-nocookie.com") {
    if (parsed.pathname === "/watch") id = parsed.searchParams.get("v");
    else {
      const match = /^\/(?:embed|shorts|live)\/([^/?#]+)/.exec(parsed.pathname);
      id = match?.[1] ?? null;
    }
  }
  if (!id || !/^[A-Za-z0-9_-]{6,20}$/.test(id)) return null;
  return `https://www.youtube-nocookie.com/embed/${id}?rel=0`;
}

export function vimeoEmbedUrl(url: string | null | undefined): string | null {
  const parsed = httpUrl(url);
  if (!parsed) return null;
  const host = parsed.hostname.replace(/^www\./, "");
  let match: RegExpExecArray | null = null;
  if (host === "vimeo.com") match = /^\/(\d{5,12})(?:\/|$)/.exec(parsed.pathname);
  else if (host === "player.vimeo.com") match = /^\/video\/(\d{5,12})(?:\/|$)/.exec(parsed.pathname);
  return match ? `https://player.vimeo.com/video/${match[1]}?dnt=1` : null;
}

export function videoSource(url: string | null | undefined): VideoSource {
  if (!url) return { kind: "none" };
  const file = MEDIA_PATH.exec(url);
  if (file) return { kind: "file", src: url, type: file[1] === "mp4" ? "video/mp4" : "video/webm" };
  const embed = youtubeEmbedUrl(url) ?? vimeoEmbedUrl(url);
  if (embed) return { kind: "embed", src: embed };
  const parsed = httpUrl(url);
  return parsed ? { kind: "link", href: parsed.href } : { kind: "none" };
}

function httpUrl(url: string | null | undefined): URL | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed : null;
  } catch {
    return null;
  }
}
