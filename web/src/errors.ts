// Turns an ApiError into a sentence and a way out (retry, with a countdown after a 429).
import { ApiError } from './api';
import { h } from './dom';
import { t, type Key } from './i18n';

export function errorMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return t('err.server');
  switch (err.kind) {
    case 'offline':
      return t('err.offline');
    case 'timeout':
      return t('err.timeout');
    case 'rate_limited':
      return t('err.rateLimited', { s: err.retryAfter ?? 1 });
    case 'invalid': {
      const names = err.fields.map(fieldLabel).filter((x): x is string => x !== null);
      return names.length ? t('err.invalid', { fields: [...new Set(names)].join(', ') }) : t('err.invalidGeneric');
    }
    case 'not_found':
      return t('err.notFound');
    case 'not_available':
      return t('notYet');
    case 'no_model':
      return t('err.noModel');
    case 'unavailable':
      return t('err.unavailable');
    case 'denied':
      return t('err.denied');
    default:
      return t('err.server');
  }
}

// "pokemon_1_moves[2]" -> "moves of Pokémon 1"; unknown fields are left out rather than shown raw.
export function fieldLabel(field: string): string | null {
  const base = field.replace(/\[.*$/, '').replace(/\..*$/, '');
  const key = `field.${base}` as Key;
  const text = t(key);
  return text === key ? null : text;
}

// An alert box with the message and a retry button; after a 429 the button waits Retry-After seconds.
export function errorBox(err: unknown, retry?: () => void): HTMLElement {
  const box = h('div', { class: 'error', role: 'alert' }, h('p', null, errorMessage(err)));
  if (retry && !(err instanceof ApiError && err.kind === 'not_available')) {
    const button = h('button', { type: 'button', class: 'retry', onclick: () => retry() }, t('retry'));
    box.append(button);
    const wait = err instanceof ApiError && err.kind === 'rate_limited' ? (err.retryAfter ?? 1) : 0;
    if (wait > 0) {
      let left = wait;
      button.disabled = true;
      button.textContent = t('retryIn', { s: left });
      const timer = setInterval(() => {
        left -= 1;
        if (left <= 0 || !button.isConnected) {
          clearInterval(timer);
          button.disabled = false;
          button.textContent = t('retry');
        } else {
          button.textContent = t('retryIn', { s: left });
        }
      }, 1000);
    }
  }
  return box;
}

export function loadingBox(): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, t('loading'));
}

// Runs `load` with a loading line in `target`, a "still working" note if slow, and the error box on failure.
export async function withLoading<T>(
  target: HTMLElement,
  load: (onSlow: () => void) => Promise<T>,
  render: (value: T) => void,
): Promise<void> {
  const status = loadingBox();
  target.replaceChildren(status);
  try {
    const value = await load(() => {
      status.textContent = t('slow');
    });
    target.replaceChildren();
    render(value);
  } catch (err) {
    target.replaceChildren(errorBox(err, () => void withLoading(target, load, render)));
  }
}
