// Pokédex: the 188 Pokémon/forms with sprites, search, type and form filters; detail page with stats at a
// chosen level, matchups, evolutions and the learnset.
import { request, roster, type SpeciesDetail, type SpeciesSummary } from '../api';
import { h } from '../dom';
import { errorBox, withLoading } from '../errors';
import { speciesName, t, typeName } from '../i18n';
import type { PageContext } from '../main';
import { sprite } from '../sprites';
import { multBadge, pageTitle, statBars, table, typeBadge, typeBadges } from '../ui';

export const TYPES = ['Normal', 'Fire', 'Water', 'Electric', 'Grass', 'Ice', 'Fighting', 'Poison', 'Ground', 'Flying', 'Psychic', 'Bug', 'Rock', 'Ghost', 'Dragon', 'Dark', 'Steel', 'Fairy'];

export function matches(p: SpeciesSummary, query: string, type: string, form: string): boolean {
  if (type && !p.types.includes(type)) return false;
  if (form === 'mega' && !p.is_mega) return false;
  if (form === 'alola' && !p.is_alola) return false;
  if (form === 'regular' && (p.is_mega || p.is_alola)) return false;
  const q = fold(query.trim());
  if (!q) return true;
  return [p.name, p.name_fr ?? '', p.showdown_id, String(p.id)].some((x) => fold(x).includes(q));
}

export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function render(ctx: PageContext): Promise<void> | void {
  if (ctx.params.id) return renderDetail(ctx, ctx.params.id);
  return renderGrid(ctx);
}

async function renderGrid(ctx: PageContext): Promise<void> {
  const q = ctx.query;
  const search = h('input', { id: 'dex-q', type: 'search', value: q.get('q') ?? '', autocomplete: 'off' });
  const typeSel = h('select', { id: 'dex-type' }, h('option', { value: '' }, t('dex.anyType')), ...TYPES.map((x) => h('option', { value: x, selected: q.get('type') === x }, typeName(x))));
  const formSel = h(
    'select',
    { id: 'dex-form' },
    ...[['', 'dex.allForms'], ['mega', 'dex.mega'], ['alola', 'dex.alola'], ['regular', 'dex.regular']].map(([v, k]) => h('option', { value: v, selected: (q.get('form') ?? '') === v }, t(k as 'dex.mega'))),
  );
  const count = h('p', { role: 'status', class: 'muted', 'aria-live': 'polite' });
  const grid = h('ul', { class: 'dexgrid', 'aria-label': t('dex.title') });
  const body = h('div');
  ctx.root.append(
    pageTitle(t('dex.title')),
    h(
      'div',
      { class: 'controls', role: 'search' },
      h('div', null, h('label', { for: 'dex-q' }, t('dex.search')), search),
      h('div', null, h('label', { for: 'dex-type' }, t('dex.type')), typeSel),
      h('div', null, h('label', { for: 'dex-form' }, t('dex.form')), formSel),
    ),
    count,
    body,
  );
  await withLoading(body, () => roster(), (all) => {
    body.append(grid);
    const update = () => {
      const shown = all.filter((p) => matches(p, search.value, typeSel.value, formSel.value));
      count.textContent = t('dex.count', { n: shown.length });
      grid.replaceChildren(
        ...shown.map((p) =>
          h(
            'li',
            null,
            h('a', { href: `/pokedex/${p.id}`, 'data-link': true }, sprite(p.id, ''), h('span', { class: 'no' }, `#${p.id}`), h('strong', null, speciesName(p)), typeBadges(p.types)),
          ),
        ),
      );
      if (!shown.length) grid.append(h('li', null, t('dex.none')));
      const params = new URLSearchParams();
      if (search.value) params.set('q', search.value);
      if (typeSel.value) params.set('type', typeSel.value);
      if (formSel.value) params.set('form', formSel.value);
      history.replaceState(null, '', `/pokedex${params.size ? `?${params}` : ''}`);
    };
    search.addEventListener('input', update);
    typeSel.addEventListener('change', update);
    formSel.addEventListener('change', update);
    update();
  });
}

async function renderDetail(ctx: PageContext, id: string): Promise<void> {
  const body = h('div');
  ctx.root.append(h('p', null, h('a', { href: '/pokedex', 'data-link': true }, `← ${t('dex.back')}`)), body);
  let level = Math.min(100, Math.max(1, Number(ctx.query.get('level')) || 50));
  const load = () => withLoading(body, (onSlow) => request<SpeciesDetail>(`/api/v1/pokemon/${encodeURIComponent(id)}?level=${level}`, { onSlow }), (p) => show(p));

  const show = (p: SpeciesDetail) => {
    const name = speciesName(p);
    const levelInput = h('input', { id: 'dex-level', type: 'number', min: 1, max: 100, value: level, inputmode: 'numeric' });
    const statsBox = h('div', null, statBars(p.stats.computed, Math.max(200, ...Object.values(p.stats.computed)), t('dex.stats', { l: p.stats.level })));
    levelInput.addEventListener('change', () => {
      const v = Math.round(Number(levelInput.value));
      if (!(v >= 1 && v <= 100)) {
        levelInput.value = String(level);
        return;
      }
      level = v;
      history.replaceState(null, '', `/pokedex/${id}?level=${level}`);
      request<SpeciesDetail>(`/api/v1/pokemon/${encodeURIComponent(id)}?level=${level}`)
        .then((d) => statsBox.replaceChildren(statBars(d.stats.computed, Math.max(200, ...Object.values(d.stats.computed)), t('dex.stats', { l: d.stats.level }))))
        .catch((err) => statsBox.replaceChildren(errorBox(err)));
    });
    const m = p.type_matchups;
    const list = (items: { type: string; multiplier: number }[]) => (items.length ? items.map((x) => multBadge(x.type, x.multiplier)) : [h('span', null, t('dex.nothing'))]);
    const ref = (r: { id: number | null; name: string }) => (r.id !== null ? h('a', { href: `/pokedex/${r.id}`, 'data-link': true }, r.name) : h('span', null, r.name));
    const trigger = (e: SpeciesDetail['evolutions'][number]) => {
      switch (e.trigger) {
        case 'levelUp':
          return t('trigger.levelUp', { l: e.level ?? '?' });
        case 'useItem':
          return t('trigger.useItem', { item: e.item ?? '?' });
        case 'trade':
          return t('trigger.trade');
        case 'levelFriendship':
          return t('trigger.levelFriendship');
        default:
          return e.condition ?? t('trigger.other');
      }
    };
    const method = (row: SpeciesDetail['learnset'][number]) =>
      row.method === 'levelup' ? t('dex.levelup', { l: row.level ?? '?' }) : row.method === 'tm' ? t('dex.tm') : row.method === 'tutor' ? t('dex.tutor') : t('dex.other');
    const seen = new Set<string>();
    const learnset = p.learnset.filter((r) => {
      const k = `${r.move.id}/${r.method}/${r.level}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    body.replaceChildren(
      h(
        'div',
        { class: 'detail-head' },
        sprite(p.id, name, 'sprite big', true),
        h('div', null, pageTitle(name), h('p', { class: 'muted' }, `#${p.num}${p.forme ? ` · ${p.forme}` : ''}`), typeBadges(p.types), h('p', null, h('a', { class: 'button', href: `/battle?p1=${p.id}`, 'data-link': true }, t('dex.battleWith')))),
      ),
      h(
        'div',
        { class: 'grid2' },
        h('section', { class: 'card' }, h('h2', null, t('dex.stats', { l: '' }).replace(/\s*$/, '')), h('div', { class: 'controls' }, h('div', null, h('label', { for: 'dex-level' }, t('dex.level')), levelInput)), statsBox),
        h(
          'section',
          { class: 'card' },
          h('h2', null, t('dex.types')),
          h('dl', { class: 'matchups' }, h('dt', null, t('dex.weak')), h('dd', null, ...list(m.weaknesses)), h('dt', null, t('dex.resist')), h('dd', null, ...list(m.resistances)), h('dt', null, t('dex.immune')), h('dd', null, ...list(m.immunities))),
          h('h2', null, t('dex.evolutions')),
          h(
            'ul',
            null,
            p.prevo ? h('li', null, `${t('dex.evolvesFrom')} `, ref(p.prevo)) : null,
            ...p.evolutions.map((e) => h('li', null, `${t('dex.evolvesTo')} `, ref(e), ` (${trigger(e)})`)),
            ...p.mega_evolutions.map((e) => h('li', null, `${t('dex.megas')}: `, ref(e))),
            !p.prevo && !p.evolutions.length && !p.mega_evolutions.length ? h('li', null, t('dex.noEvo')) : null,
          ),
        ),
      ),
      h('h2', null, t('dex.learnset')),
      table(
        null,
        [t('move.name'), t('move.type'), t('move.category'), t('move.power'), t('move.accuracy'), t('move.pp'), t('dex.method')],
        learnset.map((r) => [
          r.move.engine_supported ? r.move.name : h('span', null, r.move.name, h('span', { class: 'muted' }, ` (${t('move.unsupported')})`)),
          typeBadge(r.move.type),
          t(`cat.${r.move.category}`),
          r.move.power || '—',
          r.move.accuracy === null ? '—' : `${r.move.accuracy}%`,
          r.move.pp,
          method(r),
        ]),
        'learnset',
      ),
    );
  };
  await load();
}
