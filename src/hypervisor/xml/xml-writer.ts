// A tiny XML element writer. Every text and attribute value goes through an escaper here, so a
// builder can never splice a user string into markup. Output is deterministic: attributes in the
// order given, two-space indent, one element per line unless it holds only text.
import { UnprocessableError } from '../../common/domain-errors.js';

export type XmlAttributeValue = string | number | undefined;

export interface XmlElement {
  readonly name: string;
  /** Ordered; entries whose value is undefined are left out, so optional attributes read naturally. */
  readonly attributes: ReadonlyArray<readonly [string, XmlAttributeValue]>;
  /** Either element children or a single text child; mixed content is never needed for domain XML. */
  readonly children: ReadonlyArray<XmlElement> | string;
}

/** Raised when a string cannot be represented in XML 1.0 at all; validation should have caught it first. */
export class XmlEncodingError extends UnprocessableError {}

const ELEMENT_OR_ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*(:[A-Za-z_][A-Za-z0-9_.-]*)?$/;

// XML 1.0 `Char`: tab, LF, CR, U+0020..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF. In `u` mode a
// lone surrogate is its own code point and therefore matches the negated class.
const NOT_AN_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function isXmlSafe(value: string): boolean {
  return !NOT_AN_XML_CHAR.test(value);
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A raw CR would be folded into LF by any parser; a reference survives.
  '\r': '&#13;',
};
const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = {
  ...TEXT_ESCAPES,
  // Attribute-value normalisation turns raw whitespace controls into spaces; references survive.
  '\t': '&#9;',
  '\n': '&#10;',
};

function escapeWith(table: Readonly<Record<string, string>>, pattern: RegExp, value: string): string {
  if (!isXmlSafe(value)) {
    throw new XmlEncodingError('String contains a character that XML 1.0 cannot represent', { value: JSON.stringify(value) });
  }
  return value.replace(pattern, (c) => table[c] ?? c);
}

export const escapeXmlText = (value: string): string => escapeWith(TEXT_ESCAPES, /[&<>"'\r]/g, value);
export const escapeXmlAttribute = (value: string): string => escapeWith(ATTRIBUTE_ESCAPES, /[&<>"'\r\n\t]/g, value);

/** Builds an element; `children` is a text value or a list of elements (falsy entries dropped). */
export function el(
  name: string,
  attributes: Record<string, XmlAttributeValue> = {},
  children: string | number | ReadonlyArray<XmlElement | false | undefined | null> = [],
): XmlElement {
  const kids =
    typeof children === 'string' || typeof children === 'number' ? String(children) : children.filter((c): c is XmlElement => Boolean(c));
  return { name, attributes: Object.entries(attributes), children: kids };
}

function assertName(name: string): void {
  // Names come from our own code, never from users; a bad one is a programming error.
  if (!ELEMENT_OR_ATTRIBUTE_NAME.test(name)) throw new XmlEncodingError(`Not a valid XML name: ${JSON.stringify(name)}`);
}

function renderElement(element: XmlElement, depth: number, out: string[]): void {
  assertName(element.name);
  const indent = '  '.repeat(depth);
  const attributes = element.attributes
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      assertName(key);
      return ` ${key}='${escapeXmlAttribute(String(value))}'`;
    })
    .join('');
  const open = `${indent}<${element.name}${attributes}`;
  if (typeof element.children === 'string') {
    out.push(element.children === '' ? `${open}/>` : `${open}>${escapeXmlText(element.children)}</${element.name}>`);
  } else if (element.children.length === 0) {
    out.push(`${open}/>`);
  } else {
    out.push(`${open}>`);
    for (const child of element.children) renderElement(child, depth + 1, out);
    out.push(`${indent}</${element.name}>`);
  }
}

/** Serialises a document (no XML declaration, as libvirt expects) ending in a newline. */
export function renderXml(root: XmlElement): string {
  const lines: string[] = [];
  renderElement(root, 0, lines);
  return `${lines.join('\n')}\n`;
}
