// Small DOM helpers. Text goes in through textContent only: nothing from the program, its output,
// the URL or the explanations is ever parsed as HTML. The one exception is sanitizeSvg's input,
// the shape diagram, which is parsed as SVG and stripped of anything that could run or load.

// el('p', { class: 'x', text: 'hello', attrs: { id: 'y' } }, [children...])
export function el(tag, { class: className, text, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  if (attrs) for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) if (child) node.append(child);
  return node;
}

export function $(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_ELEMENTS = new Set([
  'svg', 'g', 'rect', 'line', 'path', 'polyline', 'polygon', 'circle', 'ellipse', 'text', 'tspan',
  'title', 'desc', 'defs', 'marker', 'pattern', 'lineargradient', 'stop', 'clippath', 'use', 'symbol',
]);

// Parses an SVG string into a detached <svg> element, keeping only drawing elements and
// attributes (no scripts, event handlers, foreign content or external references).
export function sanitizeSvg(markup) {
  const parsed = new DOMParser().parseFromString(String(markup), 'image/svg+xml');
  const root = parsed.documentElement;
  if (!root || root.namespaceURI !== SVG_NS || root.localName !== 'svg') return null;
  const walk = (node) => {
    for (const child of [...node.children]) {
      if (child.namespaceURI !== SVG_NS || !SVG_ELEMENTS.has(child.localName.toLowerCase())) {
        child.remove();
        continue;
      }
      walk(child);
    }
    for (const attr of [...node.attributes]) {
      const name = attr.name.toLowerCase();
      const isLink = name === 'href' || name.endsWith(':href');
      if (name.startsWith('on') || (isLink && !attr.value.startsWith('#'))) node.removeAttribute(attr.name);
    }
  };
  walk(root);
  return document.importNode(root, true);
}
