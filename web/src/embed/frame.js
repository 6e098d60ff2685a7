// embed.html (issue 6): the same page in a compact layout for an <iframe>. scripts/build-web.mjs
// writes web/dist/embed.html from index.html with <html data-layout="embed"> and embed.css; this
// module decides which panels show and tells the parent page the document's height.

export const EMBED = document.documentElement.dataset.layout === 'embed';

// Shown in an embed unless the hash's own `hide=` says otherwise: the program, its output and
// the error card.
const EMBED_HIDDEN = ['controls', 'diagram', 'fixes', 'trace', 'performance'];

export function embedHidden(hash, hidden) {
  let params;
  try {
    params = new URLSearchParams(String(hash).replace(/^#/, ''));
  } catch {
    return EMBED_HIDDEN;
  }
  return params.has('hide') ? hidden : EMBED_HIDDEN;
}

// postMessage({type: 'logit-lab:height', height}) to the parent whenever the height changes.
export function reportHeight() {
  if (window.parent === window) return;
  let last = -1;
  const send = () => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: 'logit-lab:height', height }, '*');
  };
  new ResizeObserver(send).observe(document.body);
  send();
}

// A small "Open the full page" link under the embed: index.html with the embed's current hash.
export function addOpenLink() {
  const link = document.createElement('a');
  link.className = 'embed-open';
  link.target = '_blank';
  link.rel = 'noopener';
  link.textContent = 'Open in the full Logit Lab ↗';
  const update = () => { link.href = new URL('index.html', window.location.href).href.replace(/#.*$/, '') + window.location.hash; };
  update();
  link.addEventListener('pointerdown', update);
  link.addEventListener('focus', update);
  document.querySelector('main').append(link);
}
