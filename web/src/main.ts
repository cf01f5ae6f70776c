// The shell: navigation, language toggle, client-side routing (history API; the server answers index.html
// for these paths). Each page is its own chunk, loaded on first visit, so the first load stays light.
import './style.css';
import { h } from './dom';
import { detectLang, lang, setLang, t, type Key } from './i18n';

export interface PageContext {
  root: HTMLElement;
  params: Record<string, string>;
  query: URLSearchParams;
  signal: AbortSignal; // aborted when the player leaves the page (timers, polling)
}

type PageModule = { render: (ctx: PageContext) => void | Promise<void> };

const routes: { path: RegExp; nav?: Key; load: () => Promise<PageModule>; keys?: string[] }[] = [
  { path: /^\/$/, nav: 'nav.home', load: () => import('./pages/home') },
  { path: /^\/pokedex\/?$/, nav: 'nav.pokedex', load: () => import('./pages/pokedex') },
  { path: /^\/pokedex\/([^/]+)$/, load: () => import('./pages/pokedex'), keys: ['id'] },
  { path: /^\/battle\/?$/, nav: 'nav.battle', load: () => import('./pages/battle') },
  { path: /^\/types\/?$/, nav: 'nav.types', load: () => import('./pages/types') },
  { path: /^\/quiz\/?$/, nav: 'nav.quiz', load: () => import('./pages/quiz') },
  { path: /^\/model\/?$/, nav: 'nav.model', load: () => import('./pages/model') },
  { path: /^\/monitoring\/?$/, nav: 'nav.monitoring', load: () => import('./pages/monitoring') },
];

const NAV: { href: string; key: Key }[] = [
  { href: '/', key: 'nav.home' },
  { href: '/pokedex', key: 'nav.pokedex' },
  { href: '/battle', key: 'nav.battle' },
  { href: '/types', key: 'nav.types' },
  { href: '/quiz', key: 'nav.quiz' },
  { href: '/model', key: 'nav.model' },
  { href: '/monitoring', key: 'nav.monitoring' },
];

let leave = new AbortController();

function renderShell(): void {
  document.documentElement.lang = lang();
  const nav = document.getElementById('nav')!;
  nav.setAttribute('aria-label', t('nav.label'));
  const here = location.pathname.replace(/\/$/, '') || '/';
  nav.replaceChildren(
    h(
      'ul',
      null,
      ...NAV.map((n) =>
        h('li', null, h('a', { href: n.href, 'data-link': true, 'aria-current': (n.href === '/' ? here === '/' : here.startsWith(n.href)) ? 'page' : undefined }, t(n.key))),
      ),
      h('li', null, h('a', { href: '/docs' }, t('nav.docs'))),
    ),
  );
  const button = document.getElementById('lang')!;
  button.textContent = t('lang.switch');
  button.setAttribute('aria-label', t('lang.switchLabel'));
  button.setAttribute('lang', lang() === 'en' ? 'fr' : 'en');
  document.querySelector('.skip')!.textContent = t('skip');
}

async function route(focus: boolean): Promise<void> {
  leave.abort();
  leave = new AbortController();
  const signal = leave.signal;
  renderShell();
  const main = document.getElementById('main')!;
  const path = location.pathname;
  for (const r of routes) {
    const m = r.path.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    (r.keys ?? []).forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
    main.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('loading')));
    let mod: PageModule;
    try {
      mod = await r.load();
    } catch {
      // A new deploy replaced the chunk, or the server went away: a full load recovers from both.
      main.replaceChildren(h('div', { class: 'error', role: 'alert' }, h('p', null, t('err.offline')), h('button', { type: 'button', onclick: () => location.reload() }, t('retry'))));
      return;
    }
    if (signal.aborted) return;
    main.replaceChildren();
    await mod.render({ root: main, params, query: new URLSearchParams(location.search), signal });
    if (focus) main.focus();
    return;
  }
  main.replaceChildren(h('h1', null, t('notFound.title')), h('p', null, t('notFound.body')));
}

export function navigate(href: string): void {
  history.pushState(null, '', href);
  window.scrollTo(0, 0);
  void route(true);
}

document.addEventListener('click', (e) => {
  const a = (e.target as Element).closest?.('a[data-link]') as HTMLAnchorElement | null;
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href')!);
});
window.addEventListener('popstate', () => void route(true));

setLang(detectLang(localStorage.getItem('pdex-lang'), navigator.languages ?? [navigator.language]));
document.getElementById('lang')!.addEventListener('click', () => {
  setLang(lang() === 'en' ? 'fr' : 'en');
  localStorage.setItem('pdex-lang', lang());
  void route(false).then(() => document.getElementById('lang')!.focus());
});
void route(false);
