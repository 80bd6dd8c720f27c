import { describe, expect, it } from '@jest/globals';
import { escapeHtml, html, trusted } from '#src/web/html.js';

describe('html', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const text = '<script>alert("x")</script> & \'quoted\'';
    expect(html`<p title="${text}">${text}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;</p>',
    );
  });

  it('inserts nested fragments and arrays of them as markup, their values escaped once', () => {
    const items = ['<b>', 'a&b'].map((s) => html`<li>${s}</li>`);
    expect(html`<ul>${items}</ul>`.value).toBe('<ul><li>&lt;b&gt;</li><li>a&amp;b</li></ul>');
  });

  it('writes nothing for null, undefined and false, and numbers as text', () => {
    expect(html`${null}${undefined}${false}${0}${trusted('<br>')}`.value).toBe('0<br>');
    expect(escapeHtml('"&')).toBe('&quot;&amp;');
  });
});
