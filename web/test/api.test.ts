import { describe, expect, it } from 'vitest';
import { ApiError, classify, parseRetryAfter } from '../src/api';
import { errorMessage, fieldLabel } from '../src/errors';
import { setLang } from '../src/i18n';

describe('API error mapping', () => {
  it('maps statuses to kinds', () => {
    expect(classify(429, '7', null)).toMatchObject({ kind: 'rate_limited', retryAfter: 7 });
    expect(classify(429, null, null).retryAfter).toBe(1);
    expect(classify(422, null, { errors: [{ field: 'level_1', message: 'must be 1..100' }] })).toMatchObject({ kind: 'invalid', fields: ['level_1'] });
    expect(classify(400, null, null).kind).toBe('invalid');
    expect(classify(404, null, { detail: "unknown Pokémon 'x'" }).kind).toBe('not_found');
    expect(classify(404, null, { detail: 'no route for /api/v1/predict/best-move' }).kind).toBe('not_available');
    expect(classify(404, null, null, true).kind).toBe('not_available');
    expect(classify(405, null, null).kind).toBe('not_available');
    expect(classify(503, '30', { detail: 'model not loaded' })).toMatchObject({ kind: 'no_model', retryAfter: 30 });
    expect(classify(503, null, { detail: 'cannot verify the API key now' }).kind).toBe('unavailable');
    expect(classify(401, null, null).kind).toBe('denied');
    expect(classify(500, null, null).kind).toBe('server');
  });
  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('12')).toBe(12);
    expect(parseRetryAfter(new Date(10_000 + 5_000).toUTCString(), 10_000)).toBe(5);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
  it('says it in plain words, naming fields but never raw server text', () => {
    setLang('en');
    expect(errorMessage(new ApiError('offline', 0))).toMatch(/cannot be reached/);
    expect(errorMessage(new ApiError('rate_limited', 429, 3))).toMatch(/wait 3 seconds/);
    expect(errorMessage(new ApiError('invalid', 422, null, ['level_1', 'pokemon_2_moves[1]', 'secret_internal']))).toBe(
      'Some choices were not accepted: level of Pokémon 1, moves of Pokémon 2.',
    );
    expect(errorMessage(new ApiError('invalid', 422, null, ['x']))).toMatch(/not accepted\. Please check/);
    expect(errorMessage(new Error('TypeError: failed to fetch'))).toBe('Something went wrong on the server. Please try again.');
    expect(fieldLabel('nonsense')).toBeNull();
    setLang('fr');
    expect(errorMessage(new ApiError('offline', 0))).toMatch(/Impossible de joindre/);
    setLang('en');
  });
});
