// Sprite URLs for the roster, from the build (web/build/pdex-assets-plugin.ts).
import spriteMap from 'virtual:sprites';
import { h } from './dom';

export function spriteUrl(id: number): string | undefined {
  return (spriteMap as Record<number, string>)[id];
}

// Chromium's loading="lazy" fetches images up to ~2500 px below the fold: on the 188-sprite grid that is
// nearly all of them (2 MB). This observer loads a sprite only when it comes within 200 px of the viewport.
let observer: IntersectionObserver | null = null;
function lazyObserver(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        const img = e.target as HTMLImageElement;
        img.src = img.dataset.src!;
        observer!.unobserve(img);
      }
    },
    { rootMargin: '200px' },
  );
  return observer;
}

export function sprite(id: number, alt: string, cls = 'sprite', eager = false): HTMLImageElement | HTMLSpanElement {
  const url = spriteUrl(id);
  if (!url) return h('span', { class: `${cls} nosprite`, role: 'img', 'aria-label': alt }, '?');
  if (eager || typeof IntersectionObserver === 'undefined') return h('img', { src: url, alt, class: cls, width: 96, height: 96, decoding: 'async' });
  const img = h('img', { alt, class: cls, width: 96, height: 96, decoding: 'async', 'data-src': url });
  lazyObserver().observe(img);
  return img;
}
