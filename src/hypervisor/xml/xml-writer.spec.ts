import { el, escapeXmlAttribute, escapeXmlText, renderXml, XmlEncodingError } from './xml-writer.js';

describe('xml-writer', () => {
  it('escapes the five markup characters in text and attributes', () => {
    expect(escapeXmlText(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(escapeXmlAttribute(`'"&<>`)).toBe('&apos;&quot;&amp;&lt;&gt;');
    expect(escapeXmlText(']]>')).toBe(']]&gt;');
  });

  it('keeps whitespace controls intact through a parser: references in attributes, CR in text', () => {
    expect(escapeXmlAttribute('a\tb\nc\rd')).toBe('a&#9;b&#10;c&#13;d');
    expect(escapeXmlText('a\tb\nc\rd')).toBe('a\tb\nc&#13;d');
  });

  it('refuses characters XML 1.0 cannot represent', () => {
    for (const bad of ['\u0000', '\u0001', '\u001f', '\ufffe', '\uffff', '\ud800', '\udc00x']) {
      expect(() => escapeXmlText(`a${bad}`)).toThrow(XmlEncodingError);
      expect(() => escapeXmlAttribute(`a${bad}`)).toThrow(XmlEncodingError);
    }
    expect(escapeXmlText('\u{1F600}\ud7ff\ue000')).toBe('\u{1F600}\ud7ff\ue000');
  });

  it('renders deterministically with two-space indent, omitting undefined attributes', () => {
    const doc = el('a', { x: 1, skipped: undefined, y: `'` }, [el('b', {}, 'text'), el('c'), false, el('d', {}, [el('e', { z: 'q' })])]);
    expect(renderXml(doc)).toBe(`<a x='1' y='&apos;'>\n  <b>text</b>\n  <c/>\n  <d>\n    <e z='q'/>\n  </d>\n</a>\n`);
  });

  it('refuses element and attribute names that are not XML names', () => {
    expect(() => renderXml(el('a b'))).toThrow(XmlEncodingError);
    expect(() => renderXml(el('a', { 'x"': 1 }))).toThrow(XmlEncodingError);
  });
});
