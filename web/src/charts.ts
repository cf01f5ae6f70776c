// Hand-drawn SVG charts (no chart library). Each has a <title>/<desc> and an aria-label; the pages also
// give the numbers as text or tables, so nothing is conveyed by colour or shape alone.
import { s } from './dom';

export interface Series {
  label: string;
  cls: string; // CSS class giving the stroke colour and dash pattern
  points: (number | null)[];
}

const W = 480;
const H = 180;
const PAD = { l: 48, r: 12, t: 12, b: 28 };

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function lineChart(title: string, series: Series[], format: (v: number) => string): SVGElement {
  const n = Math.max(2, ...series.map((x) => x.points.length));
  const max = niceMax(Math.max(0, ...series.flatMap((x) => x.points.filter((p): p is number => p !== null))));
  const x = (i: number) => PAD.l + ((W - PAD.l - PAD.r) * i) / (n - 1);
  const y = (v: number) => H - PAD.b - ((H - PAD.t - PAD.b) * v) / max;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title }, s('title', null, title));
  for (const frac of [0, 0.5, 1]) {
    const v = max * frac;
    svg.append(
      s('line', { x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v), class: 'grid' }),
      s('text', { x: PAD.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, format(v)),
    );
  }
  for (const ser of series) {
    let d = '';
    ser.points.forEach((p, i) => {
      if (p === null) return;
      d += `${d && ser.points[i - 1] !== null ? 'L' : 'M'}${x(i).toFixed(1)},${y(p).toFixed(1)}`;
    });
    if (d) svg.append(s('path', { d, class: `line ${ser.cls}` }, s('title', null, ser.label)));
  }
  return svg;
}

export interface Bar {
  label: string;
  value: number;
  text?: string; // shown at the end of the bar
  cls?: string;
}

export function barChart(title: string, bars: Bar[], max?: number): SVGElement {
  const rowH = 26;
  const labelW = 170;
  const height = bars.length * rowH + 8;
  const top = max ?? Math.max(1e-9, ...bars.map((b) => b.value));
  const svg = s('svg', { viewBox: `0 0 ${W} ${height}`, class: 'chart bars', role: 'img', 'aria-label': title }, s('title', null, title));
  bars.forEach((b, i) => {
    const yy = 4 + i * rowH;
    const w = Math.max(0, ((W - labelW - 70) * b.value) / top);
    svg.append(
      s('text', { x: labelW - 6, y: yy + 17, 'text-anchor': 'end', class: 'axis' }, b.label),
      s('rect', { x: labelW, y: yy + 4, width: w.toFixed(1), height: rowH - 8, class: `bar ${b.cls ?? ''}` }),
      s('text', { x: labelW + w + 6, y: yy + 17, class: 'axis' }, b.text ?? String(b.value)),
    );
  });
  return svg;
}

// Histogram of counts over [0,1]-like bins given as labels.
export function columnChart(title: string, bins: { label: string; count: number }[]): SVGElement {
  const max = niceMax(Math.max(1, ...bins.map((b) => b.count)));
  const bw = (W - PAD.l - PAD.r) / Math.max(1, bins.length);
  const y = (v: number) => H - PAD.b - ((H - PAD.t - PAD.b) * v) / max;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title }, s('title', null, title));
  svg.append(s('line', { x1: PAD.l, x2: W - PAD.r, y1: y(0), y2: y(0), class: 'grid' }));
  svg.append(s('text', { x: PAD.l - 6, y: y(max) + 4, 'text-anchor': 'end', class: 'axis' }, String(max)));
  bins.forEach((b, i) => {
    const x0 = PAD.l + i * bw;
    svg.append(
      s('rect', { x: x0 + 2, y: y(b.count), width: Math.max(1, bw - 4), height: y(0) - y(b.count), class: 'bar' }, s('title', null, `${b.label}: ${b.count}`)),
      s('text', { x: x0 + bw / 2, y: H - 10, 'text-anchor': 'middle', class: 'axis small' }, b.label),
    );
  });
  return svg;
}

// Reliability diagram: predicted (x) vs observed (y) per bin, the diagonal, point size by count.
export function reliabilityChart(
  title: string,
  bins: { mean_predicted: number; observed_frequency: number; count: number }[],
  xLabel: string,
  yLabel: string,
): SVGElement {
  const size = 260;
  const p = 40;
  const sc = (v: number) => p + (size - 2 * p) * v;
  const inv = (v: number) => size - sc(v);
  const svg = s('svg', { viewBox: `0 0 ${size} ${size}`, class: 'chart square', role: 'img', 'aria-label': title }, s('title', null, title));
  svg.append(
    s('rect', { x: p, y: p, width: size - 2 * p, height: size - 2 * p, class: 'frame' }),
    s('line', { x1: sc(0), y1: inv(0), x2: sc(1), y2: inv(1), class: 'diag' }),
    s('text', { x: size / 2, y: size - 6, 'text-anchor': 'middle', class: 'axis' }, xLabel),
    s('text', { x: 12, y: size / 2, 'text-anchor': 'middle', class: 'axis', transform: `rotate(-90 12 ${size / 2})` }, yLabel),
    s('text', { x: sc(0), y: size - p + 14, 'text-anchor': 'middle', class: 'axis small' }, '0'),
    s('text', { x: sc(1), y: size - p + 14, 'text-anchor': 'middle', class: 'axis small' }, '1'),
    s('text', { x: p - 6, y: inv(1) + 4, 'text-anchor': 'end', class: 'axis small' }, '1'),
  );
  const used = bins.filter((b) => b.count > 0);
  const maxCount = Math.max(1, ...used.map((b) => b.count));
  let d = '';
  for (const b of used) d += `${d ? 'L' : 'M'}${sc(b.mean_predicted).toFixed(1)},${inv(b.observed_frequency).toFixed(1)}`;
  if (d) svg.append(s('path', { d, class: 'line s1' }));
  for (const b of used) {
    svg.append(
      s('circle', { cx: sc(b.mean_predicted), cy: inv(b.observed_frequency), r: 3 + 5 * Math.sqrt(b.count / maxCount), class: 'dot' },
        s('title', null, `${b.mean_predicted.toFixed(2)} → ${b.observed_frequency.toFixed(2)} (n=${b.count})`)),
    );
  }
  return svg;
}
