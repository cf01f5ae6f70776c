// Home: what PredictionDex does, the production model's version and headline figures, links to every page.
import { request } from '../api';
import { h } from '../dom';
import { errorBox } from '../errors';
import { percent, t, type Key } from '../i18n';
import type { PageContext } from '../main';
import { pageTitle } from '../ui';

export interface ModelCard {
  version: string;
  name?: string;
  kind?: string | null;
  trained_at?: string | null;
  metrics?: Record<string, any> | null;
  [k: string]: unknown;
}

export function render(ctx: PageContext): void {
  const model = h('section', { class: 'card', 'aria-labelledby': 'home-model' }, h('h2', { id: 'home-model' }, t('home.model')), h('p', { class: 'loading', role: 'status' }, t('loading')));
  const pages: [string, Key, Key][] = [
    ['/battle', 'nav.battle', 'home.desc.battle'],
    ['/pokedex', 'nav.pokedex', 'home.desc.pokedex'],
    ['/types', 'nav.types', 'home.desc.types'],
    ['/quiz', 'nav.quiz', 'home.desc.quiz'],
    ['/model', 'nav.model', 'home.desc.model'],
    ['/monitoring', 'nav.monitoring', 'home.desc.monitoring'],
  ];
  ctx.root.append(
    pageTitle(t('app.title')),
    h('p', { class: 'lead' }, t('app.tagline')),
    h('p', null, t('home.intro')),
    h('p', null, h('a', { class: 'button', href: '/battle', 'data-link': true }, t('home.start'))),
    model,
    h('h2', null, t('home.pages')),
    h(
      'ul',
      { class: 'links' },
      ...pages.map(([href, title, desc]) => h('li', null, h('a', { href, 'data-link': true }, h('strong', null, t(title)), h('span', null, t(desc))))),
      h('li', null, h('a', { href: '/docs' }, h('strong', null, t('nav.docs')), h('span', null, t('home.desc.docs')))),
    ),
  );
  const load = () => {
    request<ModelCard>('/api/v1/model')
      .then((card) => {
        const test = card.metrics?.test;
        model.replaceChildren(
          h('h2', { id: 'home-model' }, t('home.model')),
          h(
            'ul',
            { class: 'kpis' },
            h('li', null, t('home.version'), h('span', { class: 'v', 'data-testid': 'model-version' }, card.version)),
            test ? h('li', null, t('home.accuracy'), h('span', { class: 'v' }, percent(test.metrics.accuracy, 1))) : null,
            test?.bayes_ceiling ? h('li', null, t('home.ceiling'), h('span', { class: 'v' }, percent(test.bayes_ceiling.realized_accuracy, 1))) : null,
            card.trained_at ? h('li', null, t('home.trained'), h('span', { class: 'v' }, new Date(card.trained_at).toLocaleDateString())) : null,
          ),
        );
      })
      .catch((err) => model.replaceChildren(h('h2', { id: 'home-model' }, t('home.model')), errorBox(err, load)));
  };
  load();
}
