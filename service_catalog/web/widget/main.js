/*
 * Veiviser chat widget. A municipality embeds it with one tag:
 *
 *   <script src="https://…/widget.js" data-kommune="9999" data-lang="nb"
 *           data-endpoint="https://…/webhooks/rest/webhook" data-exit-url="https://www.yr.no/nb" defer></script>
 *
 * It renders into an open shadow root (the page's CSS cannot break it), talks only to the Rasa REST channel
 * at data-endpoint and to Veiviser's feedback endpoint (data-feedback-endpoint, default /api/v1/feedback on
 * the script's origin), and keeps the conversation in sessionStorage (this tab only). No cookies, no
 * storage beyond the tab, no third-party requests. Everything the bot sends is shown as text, never as markup.
 *
 * The source is these ES modules, one job each (this one mounts the others); scripts/build_widget.py
 * (`make widget`) builds them into the one classic script the tag loads, static/widget.js. Only this module
 * does anything when it is loaded; the others only declare. Plain modern JavaScript, no dependencies.
 */
import { MAX_CHARS, readConfig } from './config.js';
import { createConversation } from './conversation.js';
import { createFeedback } from './feedback.js';
import { createPanel } from './panel.js';
import { leavePage, listenForExit } from './quick_exit.js';
import { createStore } from './state.js';
import { downloadText, transcript } from './transcript.js';
import { createTransport } from './transport.js';

const script = document.currentScript;
if (script && !document.querySelector('[data-veiviser]')) start(script); // one widget per page

function start(script) {
  const config = readConfig(script);
  const T = config.texts;
  const store = createStore();
  const ui = createPanel(config, store, { onExit: leave, onSend: (text) => submit(text, text), onClear, onDownload });
  const feedback = createFeedback(T, store, ui, config);
  const conversation = createConversation(T, store, ui, { submit, feedback });
  const transport = createTransport(config, store, ui.typing, conversation.addEntry);

  /** Show what the young person sent (``shown``: a button's title) and send ``message``. */
  function submit(message, shown) {
    if (typeof message !== 'string' || !message.trim()) return;
    const text = message.trim().slice(0, MAX_CHARS);
    const visible = (typeof shown === 'string' && shown.trim() ? shown.trim() : text).slice(0, MAX_CHARS);
    conversation.addEntry({ kind: 'user', text: visible });
    transport.send(text, visible);
  }

  function onClear() {
    transport.cancel();
    store.reset(true);
    conversation.renderAll();
    store.save();
    ui.status.textContent = T.cleared;
    ui.input.focus();
  }

  function onDownload() {
    downloadText(ui.root, transcript(store.state.entries, T));
  }

  function leave() {
    leavePage(config.exitUrl, store, ui.host, transport.abort);
  }

  listenForExit({ leave, isOpen: ui.isOpen, close: () => ui.setOpen(false), exitUrl: config.exitUrl, store });

  function mount() {
    document.body.append(ui.host);
    conversation.renderAll();
    if (store.state.open || config.openAtLoad) ui.setOpen(true, { focus: false });
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}
