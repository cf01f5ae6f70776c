// Small shared widgets: type badges (colour AND text), stat bars, tables, page headings.
import type { Stats } from './api';
import { h, type Child } from './dom';
import { t, typeName } from './i18n';
import { multiplierText } from './typeMath';

export function typeBadge(type: string, suffix = ''): HTMLElement {
  return h('span', { class: `type t-${type}` }, typeName(type) + suffix);
}

export function typeBadges(types: string[]): HTMLElement {
  return h('span', { class: 'types' }, ...types.map((x) => typeBadge(x)));
}

export function multBadge(type: string, m: number): HTMLElement {
  return typeBadge(type, ` ×${multiplierText(m)}`);
}

export const STAT_KEYS: (keyof Stats)[] = ['hp', 'atk', 'def', 'spa', 'spd', 'spe'];

// One bar per stat; `max` fixes the scale so bars compare across Pokémon.
export function statBars(stats: Stats, max: number, caption: string): HTMLElement {
  return h(
    'table',
    { class: 'stats' },
    h('caption', null, caption),
    h(
      'tbody',
      null,
      ...STAT_KEYS.map((k) => {
        const fill = h('span', { class: `fill s-${k}` });
        fill.style.width = `${Math.min(100, (100 * stats[k]) / max).toFixed(1)}%`;
        return h('tr', null, h('th', { scope: 'row' }, t(`stat.${k}`)), h('td', { class: 'num' }, stats[k]), h('td', { class: 'barcell' }, h('span', { class: 'track' }, fill)));
      }),
    ),
  );
}

export function table(caption: string | null, head: string[], rows: Child[][], cls = ''): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: cls },
      caption ? h('caption', null, caption) : null,
      h('thead', null, h('tr', null, ...head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, ...rows.map((r) => h('tr', null, ...r.map((c) => h('td', null, c))))),
    ),
  );
}

export function pageTitle(text: string): HTMLElement {
  document.title = `${text} — PredictionDex`;
  return h('h1', null, text);
}

// A two-segment horizontal bar with both percentages written on it.
export function probabilityBar(label: string, left: { name: string; p: number }, right: { name: string; p: number }): HTMLElement {
  const a = h('span', { class: 'seg seg1' }, `${left.name} ${(left.p * 100).toFixed(0)}%`);
  const b = h('span', { class: 'seg seg2' }, `${right.name} ${(right.p * 100).toFixed(0)}%`);
  a.style.flexGrow = String(Math.max(left.p, 0.001));
  b.style.flexGrow = String(Math.max(right.p, 0.001));
  return h('div', { class: 'probbar', role: 'img', 'aria-label': `${label}: ${left.name} ${(left.p * 100).toFixed(1)}%, ${right.name} ${(right.p * 100).toFixed(1)}%` }, a, b);
}
