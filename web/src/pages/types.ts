// Types: the 18×18 chart (from GET /api/v1/types/effectiveness) and a dual-type calculator.
import { typeChart } from '../api';
import { h } from '../dom';
import { withLoading } from '../errors';
import { t, typeName } from '../i18n';
import type { PageContext } from '../main';
import { defensiveProfile, multiplierText, type Chart } from '../typeMath';
import { pageTitle, typeBadge } from '../ui';

export async function render(ctx: PageContext): Promise<void> {
  const body = h('div');
  ctx.root.append(pageTitle(t('types.title')), body);
  await withLoading(body, () => typeChart(), (chart) => show(body, chart));
}

function show(body: HTMLElement, chart: Chart): void {
  const cell = (m: number) => {
    const cls = m === 2 ? 'm2' : m === 0.5 ? 'm05' : m === 0 ? 'm0' : '';
    return h('td', { class: cls }, m === 1 ? '' : multiplierText(m));
  };
  const grid = h(
    'table',
    { class: 'typechart', id: 'typechart' },
    h('caption', null, t('types.caption')),
    h('thead', null, h('tr', null, h('td', null, h('span', { class: 'visually-hidden' }, `${t('types.attacking')} / ${t('types.defending')}`)), ...chart.types.map((d) => h('th', { scope: 'col' }, typeName(d))))),
    h('tbody', null, ...chart.types.map((a, i) => h('tr', null, h('th', { scope: 'row' }, typeBadge(a)), ...chart.matrix[i].map(cell)))),
  );
  const first = h('select', { id: 'calc-1' }, ...chart.types.map((x) => h('option', { value: x }, typeName(x))));
  const second = h('select', { id: 'calc-2' }, h('option', { value: '' }, t('types.none')), ...chart.types.map((x) => h('option', { value: x }, typeName(x))));
  first.value = 'Fire';
  second.value = 'Flying';
  const out = h('div', { 'aria-live': 'polite', id: 'calc-result' });
  const update = () => {
    const defending = [first.value, second.value].filter((x) => x && x !== '');
    const unique = [...new Set(defending)];
    out.replaceChildren(
      h('h3', null, t('types.result', { types: unique.map(typeName).join(' / ') })),
      h('dl', { class: 'profile' }, ...defensiveProfile(chart, unique).flatMap((g) => [h('dt', null, t('types.x', { m: multiplierText(g.multiplier) })), h('dd', null, ...g.types.map((x) => typeBadge(x)))])),
    );
  };
  first.addEventListener('change', update);
  second.addEventListener('change', update);
  update();
  body.append(
    h('p', null, t('types.legend')),
    h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': t('types.title') }, grid),
    h('section', { class: 'card', 'aria-labelledby': 'calc-h' }, h('h2', { id: 'calc-h' }, t('types.calc')), h('div', { class: 'controls' }, h('div', null, h('label', { for: 'calc-1' }, t('types.first')), first), h('div', null, h('label', { for: 'calc-2' }, t('types.second')), second)), out),
  );
}
