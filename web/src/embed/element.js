// embed.js (issue 6): <logit-lab logits="384x2971" labels="864x2971" kind="indices" code="…"
// hide="…" lock="…" theme="dark" height="480"></logit-lab> on any static page. It shows a light
// placeholder card until the reader clicks "Load the playground" (ten embeds on a page load
// nothing until asked), then an <iframe> of embed.html whose hash is built from the attributes.
// The attributes go through the same reader as a link (hashToState: unknown or malformed values
// are dropped) and are only ever set as text or as a URL, never as HTML.
import { hashToState, stateToHash } from '../model/urlstate.js';

const ATTRIBUTES = ['logits', 'labels', 'kind', 'classes', 'reduction', 'ignore', 'smoothing', 'weights', 'code', 'hide', 'lock', 'theme'];
const EMBED_URL = new URL('embed.html', import.meta.url);
const DEFAULT_HEIGHT = 480;

const STYLE = `
:host { display: block; margin: 1rem 0; }
.card { border: 1px solid #c9d1dc; border-radius: 8px; padding: 1rem; background: #f6f8fb; color: #1c2430;
  font: 15px/1.5 system-ui, sans-serif; }
:host([theme="dark"]) .card { background: #1b2230; color: #e6ebf2; border-color: #3a4558; }
.title { font-weight: 600; margin: 0 0 0.25rem; }
.shapes { margin: 0 0 0.5rem; font-family: ui-monospace, monospace; font-size: 0.85rem; }
pre { margin: 0 0 0.75rem; max-height: 6.5em; overflow: hidden; font-size: 0.8rem; white-space: pre-wrap;
  opacity: 0.85; }
button { font: inherit; padding: 0.4rem 0.9rem; border-radius: 6px; border: 1px solid #2f5fd0; background: #2f5fd0;
  color: #fff; cursor: pointer; }
button:focus-visible { outline: 3px solid #8fb0ff; outline-offset: 2px; }
iframe { display: block; width: 100%; border: 0; }
`;

function positiveInt(text, fallback) {
  return /^\d{2,5}$/.test(text ?? '') ? Number(text) : fallback;
}

export class LogitLabElement extends HTMLElement {
  static get observedAttributes() { return ATTRIBUTES; }

  constructor() {
    super();
    this.iframe = null;
    this.onMessage = this.onMessage.bind(this);
    this.attachShadow({ mode: 'open' });
  }

  // The state the attributes describe, read as a link is read; notices for what was dropped.
  read() {
    const params = new URLSearchParams();
    for (const name of ATTRIBUTES) {
      const value = this.getAttribute(name);
      if (value !== null) params.set(name, value);
    }
    return hashToState(params.toString());
  }

  hash() {
    return stateToHash(this.read().state);
  }

  connectedCallback() {
    window.addEventListener('message', this.onMessage);
    if (!this.iframe) this.placeholder();
  }

  disconnectedCallback() {
    window.removeEventListener('message', this.onMessage);
  }

  attributeChangedCallback() {
    if (!this.isConnected) return;
    if (this.iframe) this.iframe.src = EMBED_URL.href + this.hash();
    else this.placeholder();
  }

  placeholder() {
    const { state } = this.read();
    const style = document.createElement('style');
    style.textContent = STYLE;
    const card = document.createElement('div');
    card.className = 'card';
    const title = document.createElement('p');
    title.className = 'title';
    title.textContent = 'Logit Lab: a PyTorch playground';
    const shapes = document.createElement('p');
    shapes.className = 'shapes';
    shapes.textContent = `logits ${state.scenario.logitsShape.join('×')} · labels ${state.scenario.labelsShape.join('×')}`;
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Load the playground';
    button.addEventListener('click', () => this.load());
    card.append(title, shapes);
    if (state.code != null) {
      const pre = document.createElement('pre');
      pre.textContent = state.code;
      card.append(pre);
    }
    card.append(button);
    this.shadowRoot.replaceChildren(style, card);
  }

  load() {
    if (this.iframe) return;
    const style = document.createElement('style');
    style.textContent = STYLE;
    const iframe = document.createElement('iframe');
    iframe.title = 'Logit Lab';
    iframe.style.height = `${positiveInt(this.getAttribute('height'), DEFAULT_HEIGHT)}px`;
    iframe.src = EMBED_URL.href + this.hash();
    this.iframe = iframe;
    this.shadowRoot.replaceChildren(style, iframe);
    this.dispatchEvent(new CustomEvent('logit-lab:load', { bubbles: true }));
  }

  onMessage(event) {
    if (!this.iframe || event.source !== this.iframe.contentWindow) return;
    const data = event.data;
    if (!data || data.type !== 'logit-lab:height' || !Number.isFinite(data.height)) return;
    const height = Math.min(Math.max(Math.round(data.height), 80), 5000);
    this.iframe.style.height = `${height}px`;
  }
}

if (!customElements.get('logit-lab')) customElements.define('logit-lab', LogitLabElement);

// Plain <iframe data-logit-lab src=".../embed.html#..."> elements on a page that loads embed.js
// are resized by their height messages too.
window.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'logit-lab:height' || !Number.isFinite(data.height)) return;
  for (const frame of document.querySelectorAll('iframe[data-logit-lab]')) {
    if (frame.contentWindow === event.source) {
      frame.style.height = `${Math.min(Math.max(Math.round(data.height), 80), 5000)}px`;
    }
  }
});
