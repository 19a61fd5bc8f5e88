import { Alert, Anchor, AspectRatio } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { videoSource } from "../lib/video";

/** A lesson's video: the platform's own file, a YouTube/Vimeo embed, or a link. */
export function VideoEmbed({ url, title }: { url: string; title: string }) {
  const { t } = useTranslation();
  const source = videoSource(url);
  const label = t("lesson.videoTitle", { title });
  if (source.kind === "file") {
    return (
      <AspectRatio ratio={16 / 9}>
        <video controls preload="metadata" aria-label={label} data-testid="lesson-video">
          <source src={source.src} type={source.type} />
          {t("lesson.videoUnavailable")}
        </video>
      </AspectRatio>
    );
  }
  if (source.kind === "embed") {
    return (
      <AspectRatio ratio={16 / 9}>
        <iframe
          src={source.src}
          title={label}
          loading="lazy"
          allow="accelerometer; clipboard-write; encrypted-media; gyroscope; picture-in-picture; fullscreen"
          referrerPolicy="strict-origin-when-cross-origin"
          allowFullScreen
          style={{ border: 0 }}
        />
      </AspectRatio>
    );
  }
  return (
    <Alert color="gray" title={t("lesson.videoUnavailable")}>
      {source.kind === "link" ? (
        <Anchor href={source.href} target="_blank" rel="noopener noreferrer">
          {t("lesson.openVideo")}
        </Anchor>
      ) : null}
    </Alert>
  );
}
