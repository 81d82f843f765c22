import { describe, expect, it } from 'vitest';
import { escapeHtml, safeColour, safeUrl, textToHtml } from './html.ts';

describe('html escaping', () => {
  it('escapes the five characters that can break out of content or a quoted attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;',
    );
  });

  it('turns text into escaped paragraphs, keeping single line breaks', () => {
    expect(textToHtml('Hello <b>Ada</b>,\n\nLine one\nline two')).toBe(
      '<p style="margin:0 0 16px 0">Hello &lt;b&gt;Ada&lt;/b&gt;,</p>\n' +
        '<p style="margin:0 0 16px 0">Line one<br>line two</p>',
    );
  });

  it('keeps http(s) URLs only', () => {
    expect(safeUrl('https://club.example/logo.png')).toBe('https://club.example/logo.png');
    expect(safeUrl('https://club.example/a b"c')).toBe('https://club.example/a%20b%22c');
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '/relative', '', null, undefined]) {
      expect(safeUrl(bad)).toBeNull();
    }
  });

  it('keeps hex colours only', () => {
    expect(safeColour('#1a2B3c', '#000')).toBe('#1a2B3c');
    expect(safeColour('#fff', '#000')).toBe('#fff');
    for (const bad of ['red', '#12345', 'url(x)', '#fff;background:url(x)', null]) {
      expect(safeColour(bad, '#000')).toBe('#000');
    }
  });
});
