import { html, type SafeHtml } from '#src/web/html.js';

/** A bar chart as inline SVG (no script): described for screen readers, its data in the table that follows. */
export function barChart(id: string, title: string, desc: string, bars: Array<{ label: string; value: number }>): SafeHtml {
  const w = 720,
    h = 260,
    left = 40,
    bottom = 40,
    top = 16;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (w - left - 8) / Math.max(1, bars.length);
  const barW = Math.max(4, slot * 0.7);
  const y = (v: number) => top + (h - top - bottom) * (1 - v / max);
  const rects = bars.map((b, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    return html`<rect class="bar" x="${x.toFixed(1)}" y="${y(b.value).toFixed(1)}" width="${barW.toFixed(1)}" height="${(h - bottom - y(b.value)).toFixed(1)}"></rect>
<text x="${(x + barW / 2).toFixed(1)}" y="${(y(b.value) - 3).toFixed(1)}" text-anchor="middle">${b.value}</text>
<text x="${(x + barW / 2).toFixed(1)}" y="${h - bottom + 16}" text-anchor="middle">${b.label}</text>`;
  });
  return html`<svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-labelledby="${id}-t ${id}-d"><title id="${id}-t">${title}</title><desc id="${id}-d">${desc}</desc>
<line class="axis" x1="${left}" y1="${h - bottom}" x2="${w - 4}" y2="${h - bottom}"></line>${rects}</svg>`;
}
