/*
 * The conversation in the log: the greeting and quick replies, then each entry (what the young person
 * wrote, the bot's text and buttons, door cards, notices) as it is added or restored. New entries are
 * saved and scrolled into view inside the log, never by scrolling the municipality's page.
 */
import { renderDoors } from './doors.js';
import { el, srOnly, telLinks } from './dom.js';

/**
 * The log of ``ui`` for the conversation in ``store``. ``submit(message, shown)`` sends a quick reply or
 * a bot button; ``feedback.place()`` puts "Var dette til hjelp?" under the doors it belongs to.
 */
export function createConversation(T, store, ui, { submit, feedback }) {
  const { log, input } = ui;

  function renderAll() {
    log.replaceChildren();
    log.append(el('div', { class: 'vv-msg vv-bot' }, el('p', { class: 'vv-text' }, T.greeting)));
    if (!store.state.entries.some((entry) => entry.kind === 'user')) log.append(quickReplies());
    for (const entry of store.state.entries) log.append(renderEntry(entry));
    feedback.place();
  }

  function addEntry(entry) {
    store.state.entries.push(entry);
    if (entry.kind === 'user') log.querySelector('.vv-quick')?.remove();
    const node = renderEntry(entry);
    log.append(node);
    if (entry.kind === 'doors') feedback.place();
    store.save();
    showInLog(node);
    return node;
  }

  // Scroll the log only, never the municipality's page: the start of the newest message at the top of the log.
  function showInLog(node) {
    const gap = node.getBoundingClientRect().top - log.getBoundingClientRect().top;
    if (gap > log.clientHeight - 40 || gap < 0) log.scrollTop += gap - 8;
  }

  function quickReplies() {
    const group = el(
      'div',
      { class: 'vv-quick', role: 'group', 'aria-labelledby': 'vv-quick-label' },
      el('p', { id: 'vv-quick-label', class: 'vv-quick-label' }, T.quickLabel),
    );
    for (const text of T.quick) {
      const button = el('button', { type: 'button', class: 'vv-chip' }, text);
      button.addEventListener('click', () => {
        submit(text, text);
        input.focus(); // the chips are gone once a message is sent
      });
      group.append(button);
    }
    return group;
  }

  function renderEntry(entry) {
    switch (entry.kind) {
      case 'user':
        return el('div', { class: 'vv-msg vv-user' }, srOnly(`${T.you}: `), el('p', { class: 'vv-text' }, entry.text));
      case 'bot':
        return renderBot(entry);
      case 'doors':
        return renderDoors(entry.payload, T);
      case 'notice':
        return renderNotice(entry);
      default:
        return document.createTextNode('');
    }
  }

  function renderBot(entry) {
    const bubble = el('div', { class: 'vv-msg vv-bot' }, srOnly(`${T.bot}: `));
    if (entry.text) bubble.append(el('p', { class: 'vv-text' }, entry.text));
    if (Array.isArray(entry.buttons) && entry.buttons.length) {
      const group = el('div', { class: 'vv-buttons', role: 'group', 'aria-label': entry.text || T.bot });
      for (const { title, payload } of entry.buttons) {
        const button = el('button', { type: 'button', class: 'vv-chip' }, title);
        button.addEventListener('click', () => submit(payload, title));
        group.append(button);
      }
      bubble.append(group);
    }
    return bubble;
  }

  function renderNotice(entry) {
    if (entry.type === 'emergency') {
      return el(
        'div',
        { class: 'vv-emergency', 'data-veiviser-emergency': '' },
        el('p', { class: 'vv-text' }, entry.slow ? T.slow : T.downUrgent),
        telLinks(T.emergencyLinks, 'vv-emergency-links'),
      );
    }
    const block = el(
      'div',
      { class: 'vv-msg vv-bot vv-error', 'data-veiviser-error': '' },
      el('p', { class: 'vv-text' }, T.down),
    );
    if (typeof entry.retry === 'string') {
      const retry = el('button', { type: 'button', class: 'vv-chip vv-retry' }, T.retry);
      retry.addEventListener('click', () => submit(entry.retry, entry.retryShown || entry.retry));
      block.append(retry);
    }
    return block;
  }

  return { renderAll, addEntry };
}
