/*
 * The widget's frame in an open shadow root (the page's CSS cannot break it): the launcher and the quick
 * exit button docked at the bottom, and the panel with its header, the emergency strip (part of the widget's
 * own markup: it never waits for the bot), the log, the input and the tools (delete, download, privacy).
 */
import { MAX_CHARS } from './config.js';
import { el, srOnly } from './dom.js';

/**
 * The widget's elements for ``config``; ``setOpen(open)`` opens or closes the panel (remembered in
 * ``store``). The controls call ``onExit()``, ``onSend(text)``, ``onClear()`` and ``onDownload()``.
 */
export function createPanel(config, store, { onExit, onSend, onClear, onDownload }) {
  const T = config.texts;
  const host = el('div', { id: 'veiviser-chat', 'data-veiviser': '', lang: config.lang });
  const root = host.attachShadow({ mode: 'open' });
  const frame = el('div', { class: 'vv-root', hidden: true });
  const stylesheet = el('link', { rel: 'stylesheet', href: config.cssUrl });
  // Shown when the styles are in (or failed: unstyled but working beats invisible).
  stylesheet.addEventListener('load', () => frame.removeAttribute('hidden'));
  stylesheet.addEventListener('error', () => frame.removeAttribute('hidden'));

  function exitButton(extraClass) {
    const button = el('button', { type: 'button', class: `vv-exit ${extraClass}`, 'data-veiviser-exit': '' }, T.exit);
    button.addEventListener('click', onExit);
    return button;
  }

  const launcher = el(
    'button',
    { type: 'button', class: 'vv-launcher', 'aria-expanded': 'false', 'aria-controls': 'vv-panel' },
    el('span', { class: 'vv-launcher-icon', 'aria-hidden': 'true' }),
    T.launcher,
  );
  const dock = el('div', { class: 'vv-dock' }, exitButton('vv-exit-dock'), launcher);

  const closeButton = el(
    'button',
    { type: 'button', class: 'vv-close', 'aria-label': T.closeLabel },
    el('span', { 'aria-hidden': 'true', class: 'vv-close-x' }),
    T.close,
  );
  const strip = el(
    'p',
    { class: 'vv-strip', 'data-veiviser-strip': '' },
    el('strong', { class: 'vv-strip-label' }, `${T.stripLabel}:`),
    // One row on a 360 px phone: the number large, what it is for small beneath it.
    ...T.strip.map(([number, label, href]) =>
      el(
        'a',
        { href, 'data-action': 'call' },
        el('span', { class: 'vv-strip-number' }, number),
        el('span', { class: 'vv-strip-what' }, ` ${label}`),
      ),
    ),
  );
  const log = el('div', {
    class: 'vv-log',
    role: 'log',
    'aria-live': 'polite',
    'aria-label': T.logLabel,
    tabindex: '0',
  });
  const typing = el(
    'p',
    { class: 'vv-typing', role: 'status', hidden: true },
    el('span', { class: 'vv-dots', 'aria-hidden': 'true' }, el('span'), el('span'), el('span')),
    T.typing,
  );
  const status = el('p', { class: 'vv-sr', role: 'status' });
  const input = el('input', {
    id: 'vv-input',
    class: 'vv-input',
    type: 'text',
    maxlength: String(MAX_CHARS),
    autocomplete: 'off',
    enterkeyhint: 'send',
    'aria-describedby': 'vv-limit',
  });
  const limitNote = el('p', { id: 'vv-limit', class: 'vv-limit', hidden: true }, T.tooLong);
  const form = el(
    'form',
    { class: 'vv-form', novalidate: true },
    el('label', { for: 'vv-input', class: 'vv-label' }, T.inputLabel),
    el('div', { class: 'vv-row' }, input, el('button', { type: 'submit', class: 'vv-send' }, T.send)),
    limitNote,
  );
  const clearButton = el('button', { type: 'button', class: 'vv-tool', 'data-veiviser-clear': '' }, T.clear);
  const downloadButton = el('button', { type: 'button', class: 'vv-tool', 'data-veiviser-download': '' }, T.download);
  const privacyLink = el(
    'a',
    { class: 'vv-tool', href: config.privacyUrl, target: '_blank', rel: 'noopener noreferrer' },
    T.privacy,
    srOnly(` ${T.newTab}`),
  );
  const header = el(
    'header',
    { class: 'vv-header' },
    el(
      'div',
      { class: 'vv-header-top' },
      el('h2', { id: 'vv-title' }, T.title),
      el('div', { class: 'vv-header-buttons' }, exitButton('vv-exit-panel'), closeButton),
    ),
    el('p', { class: 'vv-subtitle' }, T.subtitle),
  );
  const panel = el(
    'section',
    { id: 'vv-panel', class: 'vv-panel', 'aria-labelledby': 'vv-title', hidden: true },
    el('div', { class: 'vv-top' }, header, strip),
    log,
    typing,
    status,
    form,
    el('div', { class: 'vv-tools' }, clearButton, downloadButton, privacyLink),
  );
  frame.append(panel, dock);
  root.append(stylesheet, frame);

  function setOpen(open, { focus = true } = {}) {
    panel.hidden = !open;
    frame.classList.toggle('vv-is-open', open);
    launcher.setAttribute('aria-expanded', String(open));
    store.state.open = open;
    store.save();
    if (!focus) return;
    if (open) input.focus();
    else launcher.focus();
  }

  launcher.addEventListener('click', () => setOpen(panel.hidden));
  closeButton.addEventListener('click', () => setOpen(false));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) {
      input.focus();
      return;
    }
    input.value = '';
    limitNote.hidden = true;
    onSend(text);
  });
  input.addEventListener('input', () => {
    limitNote.hidden = input.value.length < MAX_CHARS;
  });
  clearButton.addEventListener('click', onClear);
  downloadButton.addEventListener('click', onDownload);

  return { host, root, panel, log, typing, status, input, setOpen, isOpen: () => !panel.hidden };
}
