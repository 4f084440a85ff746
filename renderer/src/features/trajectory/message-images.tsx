import { dataUrlInfo, imageUrlOf, partPlaceholder } from '#shared/formats/content-parts.js';

/**
 * Thumbnails of a message's image parts. Only `data:` images are shown: the window's content
 * security policy forbids loading remote images, which stay as their placeholder text.
 */
export function MessageImages({ content }: { content: unknown }) {
  if (!Array.isArray(content)) return null;
  const images = content.flatMap((part) => {
    const url = imageUrlOf(part);
    return url !== null && /^data:image\//i.test(url) && dataUrlInfo(url) ? [{ url, label: partPlaceholder(part).slice(1, -1) }] : [];
  });
  if (images.length === 0) return null;
  return (
    <div className="message-images">
      {images.map(({ url, label }, i) => (
        <img key={i} className="message-image" src={url} alt={label} title={label} loading="lazy" />
      ))}
    </div>
  );
}
