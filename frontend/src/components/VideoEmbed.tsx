import { Alert, Anchor, AspectRatio } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { youtubeEmbedUrl } from "../lib/video";

export function VideoEmbed({ url, title }: { url: string; title: string }) {
  const { t } = useTranslation();
  const embed = youtubeEmbedUrl(url);
  if (!embed) {
    let safe: string | null = null;
    try {
      safe = /^https?:$/.test(new URL(url).protocol) ? url : null;
    } catch {
      safe = null;
    }
    return (
      <Alert color="gray" title={t("lesson.videoUnavailable")}>
        {safe ? (
          <Anchor href={safe} target="_blank" rel="noopener noreferrer">
            {t("lesson.openVideo")}
          </Anchor>
        ) : null}
      </Alert>
    );
  }
  return (
    <AspectRatio ratio={16 / 9}>
      <iframe
        src={embed}
        title={t("lesson.videoTitle", { title })}
        loading="lazy"
        allow="accelerometer; clipboard-write; encrypted-media; gyroscope; picture-in-picture; fullscreen"
        referrerPolicy="strict-origin-when-cross-origin"
        allowFullScreen
        style={{ border: 0 }}
      />
    </AspectRatio>
  );
}
