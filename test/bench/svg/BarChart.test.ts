import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type BarChartSpec, barChart, escapeXml, plotArea } from '../../../bench/svg/BarChart.js';

/** Each bar's value and width, in document order. */
function bars(svg: string): { value: number; x: number; width: number }[] {
  return [...svg.matchAll(/<rect class="bar" data-value="([^"]+)" x="([^"]+)" y="[^"]+" width="([^"]+)"/g)].map((m) => ({
    value: Number(m[1]),
    x: Number(m[2]),
    width: Number(m[3]),
  }));
}

function lineX(svg: string, value: number): number {
  const match = new RegExp(`<line class="line" data-value="${value}" x1="([^"]+)" y1="[^"]+" x2="([^"]+)"`).exec(svg);
  assert.ok(match, `a reference line at ${value}`);
  assert.equal(match[1], match[2], 'the reference line is vertical');
  return Number(match[1]);
}

function spec(overrides: Partial<BarChartSpec>): BarChartSpec {
  return {
    id: 'chart',
    title: 'IDs per second',
    description: 'One run on a 2-core VM.',
    axisLabel: 'IDs/s',
    scale: 'linear',
    format: (value) => `${value / 1e6} M`,
    bars: [],
    ...overrides,
  };
}

describe('barChart', () => {
  it('GIVEN bars on a linear scale THEN their widths are proportional to their values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1e9 }), { minLength: 2, maxLength: 12 }), (values) => {
        const svg = barChart(spec({ bars: values.map((value, i) => ({ label: `bar ${i}`, value, series: 'Flakery' })) }));
        const drawn = bars(svg);
        assert.deepEqual(drawn.map((bar) => bar.value), values);
        const widest = drawn.reduce((a, b) => (b.value > a.value ? b : a));
        for (const bar of drawn) {
          // Widths are rounded to 0.1 px in the document.
          assert.ok(Math.abs(bar.width - (widest.width * bar.value) / widest.value) <= 0.2, `${bar.value} drawn ${bar.width} px wide`);
          assert.equal(bar.x, drawn[0]!.x, 'every bar starts at the axis');
        }
      }),
    );
  });

  it('GIVEN a reference line THEN it is drawn where a bar of the same value would end', () => {
    const svg = barChart(
      spec({
        bars: [
          { label: 'at the limit', value: 4_096_000, series: 'Flakery' },
          { label: 'half', value: 2_048_000, series: 'peer' },
        ],
        lines: [{ value: 4_096_000, label: 'snowflake limit 4.096 M/s' }],
      }),
    );
    const [atLimit, half] = bars(svg);
    assert.ok(atLimit !== undefined && half !== undefined);
    assert.ok(Math.abs(lineX(svg, 4_096_000) - (atLimit.x + atLimit.width)) <= 0.1);
    assert.ok(Math.abs(half.width * 2 - atLimit.width) <= 0.2);
    assert.match(svg, /snowflake limit 4\.096 M\/s<\/text>/);
  });

  it('GIVEN a log scale THEN each tenfold step covers the same width, and the limit lines sit at their decades', () => {
    const svg = barChart(
      spec({
        scale: 'log',
        bars: [
          { label: 'a', value: 1e5, series: 's' },
          { label: 'b', value: 1e6, series: 's' },
          { label: 'c', value: 1e7, series: 's' },
        ],
        lines: [{ value: 1e6, label: 'one million' }],
      }),
    );
    const [a, b, c] = bars(svg);
    assert.ok(a !== undefined && b !== undefined && c !== undefined);
    assert.ok(Math.abs(c.width - b.width - (b.width - a.width)) <= 0.2);
    assert.ok(Math.abs(lineX(svg, 1e6) - (b.x + b.width)) <= 0.1);
    const { left, width } = plotArea(spec({ bars: [{ label: 'a', series: 's' }, { label: 'b', series: 's' }, { label: 'c', series: 's' }] }));
    assert.ok(c.x + c.width <= left + width + 0.1, 'the largest bar stays inside the plot');
  });

  it('GIVEN labels, notes and titles with markup characters THEN they are escaped, and the chart names itself for screen readers', () => {
    const svg = barChart(
      spec({
        id: 'ids',
        title: 'A < B & "C"',
        description: "peer's <rate>",
        bars: [
          { label: '<script>alert(1)</script>', value: 1, series: 'x & y', note: '5 > 4' },
          { label: 'threw', series: 'x & y', note: '"Sequence exceeded"', group: 'TCP <1 ID>' },
        ],
      }),
    );
    assert.doesNotMatch(svg, /<script>/);
    assert.match(svg, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(svg, /x &amp; y/);
    assert.match(svg, /5 &gt; 4/);
    assert.match(svg, /TCP &lt;1 ID&gt;/);
    assert.match(svg, /role="img" aria-labelledby="ids-title ids-desc"/);
    assert.match(svg, /<title id="ids-title">A &lt; B &amp; &quot;C&quot;<\/title>/);
    assert.match(svg, /<desc id="ids-desc">peer&#39;s &lt;rate&gt;<\/desc>/);
    assert.equal(bars(svg).length, 1, 'a row without a value has no bar');
    assert.match(svg, />&quot;Sequence exceeded&quot;<\/text>/);
  });

  it('GIVEN any text THEN escapeXml leaves no raw markup characters', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        assert.doesNotMatch(escapeXml(text), /[<>"']|&(?!amp;|lt;|gt;|quot;|#39;)/);
      }),
    );
  });
});
