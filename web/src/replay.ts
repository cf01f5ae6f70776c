// Battle log events (POST /api/v1/simulate/battle) as sentences in the current language. The server's
// `text` is English; the structured fields let us say the same thing in French.
import type { BattleEvent } from './api';
import { t, type Key } from './i18n';

const STATUS = new Set(['par', 'slp', 'frz', 'brn', 'psn', 'tox', 'flinch', 'recharge', 'nopp']);

function statusName(code: string | undefined): string {
  return code && STATUS.has(code) ? t(`status.${code}` as Key) : (code ?? '');
}

export function eventText(e: BattleEvent, names: string[]): string {
  const who = e.side ? names[e.side - 1] : '';
  switch (e.kind) {
    case 'turn':
      return t('ev.turn', { n: e.value ?? e.turn });
    case 'move':
      return t('ev.move', { who, move: e.move ?? '' });
    case 'cant':
      return t('ev.cant', { who, why: statusName(e.detail) });
    case 'miss':
      return t('ev.miss', { who });
    case 'immune':
      return t('ev.immune', { who });
    case 'fail':
      return t('ev.fail');
    case 'protected':
      return t('ev.protected', { who });
    case 'prepare':
      return t('ev.prepare', { who, move: e.move ?? '' });
    case 'damage': {
      const parts = [t('ev.damage', { who, dmg: e.damage ?? 0 })];
      if (e.crit) parts.push(t('ev.crit'));
      if ((e.effectiveness ?? 1) > 1) parts.push(t('ev.super'));
      else if ((e.effectiveness ?? 1) > 0 && (e.effectiveness ?? 1) < 1) parts.push(t('ev.notvery'));
      if (e.hp_after !== undefined && e.max_hp !== undefined) parts.push(`(${e.hp_after}/${e.max_hp})`);
      return parts.join(' ');
    }
    case 'hitcount':
      return t('ev.hitcount', { n: e.value ?? 0 });
    case 'residual':
      return t('ev.residual', { who, dmg: e.value ?? 0, why: statusName(e.detail) });
    case 'heal':
      return t('ev.heal', { who, n: e.value ?? 0 });
    case 'status':
      return t('ev.status', { who, status: statusName(e.detail) });
    case 'curestatus':
      return t('ev.curestatus', { who, status: statusName(e.detail) });
    case 'boost':
      return t('ev.boost', { who, stat: e.detail ?? '', dir: (e.value ?? 0) >= 0 ? t('ev.boostUp') : t('ev.boostDown') });
    case 'volatile':
    case 'volatileend':
    case 'sidestart':
    case 'sideend':
      return t(`ev.${e.kind}` as Key, { who, what: e.detail ?? '' });
    case 'subdamage':
      return t('ev.subdamage', { who });
    case 'faint':
      return t('ev.faint', { who });
    case 'win':
      return e.side ? t('ev.win', { who }) : t('ev.drawn');
    default:
      return e.text;
  }
}
