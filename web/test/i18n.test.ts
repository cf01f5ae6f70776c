import { describe, expect, it } from 'vitest';
import { allKeys, detectLang, setLang, speciesName, t, typeName } from '../src/i18n';

describe('i18n', () => {
  it('detects the language from the saved choice, then the browser', () => {
    expect(detectLang('fr', ['en-US'])).toBe('fr');
    expect(detectLang(null, ['fr-CA', 'en'])).toBe('fr');
    expect(detectLang(null, ['de-DE', 'en-GB'])).toBe('en');
    expect(detectLang(null, ['de-DE'])).toBe('en');
    expect(detectLang('xx', [])).toBe('en');
  });
  it('translates with variables', () => {
    setLang('en');
    expect(t('battle.wins', { name: 'Pikachu' })).toBe('Pikachu wins');
    setLang('fr');
    expect(t('battle.wins', { name: 'Pikachu' })).toBe('Pikachu gagne');
    expect(typeName('Electric')).toBe('Électrik');
    expect(speciesName({ name: 'Charizard-Mega-X', name_fr: 'Dracaufeu', forme: 'Mega-X' })).toBe('Méga-Dracaufeu X');
    expect(speciesName({ name: 'Raichu-Alola', name_fr: 'Raichu', forme: 'Alola' })).toBe('Raichu d’Alola');
    expect(speciesName({ name: 'Mew', name_fr: null, forme: null })).toBe('Mew');
    setLang('en');
    expect(speciesName({ name: 'Charizard', name_fr: 'Dracaufeu', forme: null })).toBe('Charizard');
  });
  it('has every English key in French, with the same placeholders', () => {
    setLang('en');
    const en = new Map<string, string>();
    const fr = new Map<string, string>();
    // Walk the keys through t(): a missing French entry would fall back to English.
    const all = allKeys();
    for (const k of all) en.set(k, t(k as never));
    setLang('fr');
    for (const k of all) fr.set(k, t(k as never));
    setLang('en');
    for (const k of all) {
      const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
      expect(vars(fr.get(k)!), k).toBe(vars(en.get(k)!));
    }
    expect(all.length).toBeGreaterThan(200);
  });
});
