// Type quiz: questions generated from the chart (quiz.ts), immediate feedback, running score.
import { typeChart } from '../api';
import { h } from '../dom';
import { withLoading } from '../errors';
import { t, typeName } from '../i18n';
import type { PageContext } from '../main';
import { makeQuestion, rng, type Question } from '../quiz';
import { multiplier, multiplierText, type Chart } from '../typeMath';
import { pageTitle } from '../ui';

export async function render(ctx: PageContext): Promise<void> {
  const body = h('div');
  ctx.root.append(pageTitle(t('quiz.title')), h('p', null, t('quiz.intro')), body);
  await withLoading(body, () => typeChart(), (chart) => run(body, chart, ctx.query.get('seed')));
}

function run(body: HTMLElement, chart: Chart, seed: string | null): void {
  const random = seed && /^\d+$/.test(seed) ? rng(Number(seed)) : Math.random;
  let correct = 0;
  let asked = 0;
  const score = h('p', { 'data-testid': 'score', 'aria-live': 'polite' });
  const area = h('div');
  const setScore = () => (score.textContent = t('quiz.score', { c: correct, n: asked }));
  const explain = (q: Question) => {
    const parts = q.defending.map((d) => `${typeName(d)} ×${multiplierText(multiplier(chart, q.attacking, [d]))}`).join(', ');
    return t('quiz.explain', { atk: typeName(q.attacking), def: q.defending.map(typeName).join('/'), parts });
  };
  const ask = () => {
    const q = makeQuestion(chart, random);
    const feedback = h('p', { class: 'feedback', role: 'status' });
    const next = h('button', { type: 'button', id: 'quiz-next', hidden: true }, t('quiz.next'));
    const buttons = q.choices.map((c) => h('button', { type: 'button', class: 'secondary', 'data-value': c }, `×${multiplierText(c)}`));
    buttons.forEach((b, i) =>
      b.addEventListener('click', () => {
        const chosen = q.choices[i];
        asked += 1;
        const ok = chosen === q.answer;
        if (ok) correct += 1;
        for (const [j, other] of buttons.entries()) {
          other.disabled = true;
          if (q.choices[j] === q.answer) other.classList.add('right');
        }
        if (!ok) b.classList.add('wrong');
        feedback.className = `feedback ${ok ? 'ok' : 'bad'}`;
        feedback.textContent = ok ? t('quiz.correct', { explain: explain(q) }) : t('quiz.wrong', { m: multiplierText(q.answer), explain: explain(q) });
        setScore();
        next.hidden = false;
        next.focus();
      }),
    );
    next.addEventListener('click', ask);
    const qid = `q-${asked}`;
    area.replaceChildren(
      h('p', { class: 'question', id: qid, 'data-attacking': q.attacking, 'data-defending': q.defending.join(',') }, t('quiz.question', { atk: typeName(q.attacking), def: q.defending.map(typeName).join('/') })),
      h('div', { class: 'choices', role: 'group', 'aria-labelledby': qid }, ...buttons),
      feedback,
      next,
    );
  };
  const restart = h('button', { type: 'button', class: 'secondary' }, t('quiz.restart'));
  restart.addEventListener('click', () => {
    correct = asked = 0;
    setScore();
    ask();
  });
  setScore();
  body.replaceChildren(h('section', { class: 'card' }, area), score, restart);
  ask();
}
