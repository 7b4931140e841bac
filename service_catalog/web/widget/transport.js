/*
 * Talking to the chat: one POST a message to the Rasa REST channel, one at a time and in order.
 *
 * The request says ``metadata.cards: true`` (this client shows door cards, so the chat sends the doors
 * only as the ``doors`` payload, not again as text) and ``metadata.kommune`` when the page names one.
 * Principle 4, never leave a message unanswered for long: when no reply has come within SLOW_MS the
 * emergency block appears by itself; after GIVE_UP_MS the request is dropped, and a failed request says so,
 * offers to try again and shows the emergency block (unless it is already there).
 */
import { MAX_CHARS } from './config.js';
import { cleanDoors } from './doors.js';

const SLOW_MS = 4000;
const GIVE_UP_MS = 30000;

/**
 * The transport for the conversation in ``store``: ``send(message, shown)`` queues a message (``shown`` is
 * what the retry button shows again), ``cancel()`` drops every answer still to come (the conversation was
 * deleted), ``abort()`` stops the request in flight (quick exit). Replies become entries via ``addEntry``.
 */
export function createTransport({ endpoint, kommune }, store, typing, addEntry) {
  let inFlight = null; // AbortController of the running request
  let queue = Promise.resolve();
  let generation = 0; // bumped by cancel(): answers to a deleted conversation are dropped

  function send(message, shown) {
    const mine = generation;
    queue = queue.then(() => exchange(message, shown, mine));
  }

  function cancel() {
    generation += 1;
    inFlight?.abort();
  }

  function abort() {
    inFlight?.abort();
  }

  async function exchange(message, shown, mine) {
    if (store.exiting || mine !== generation) return;
    typing.hidden = false;
    const controller = new AbortController();
    inFlight = controller;
    let slowShown = false;
    const slowTimer = setTimeout(() => {
      if (mine !== generation) return;
      slowShown = true;
      addEntry({ kind: 'notice', type: 'emergency', slow: true });
    }, SLOW_MS);
    const giveUpTimer = setTimeout(() => controller.abort(), GIVE_UP_MS);
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(requestBody(store.state.sender, message, kommune)),
        signal: controller.signal,
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const messages = await response.json();
      if (!Array.isArray(messages) || !messages.length) throw new Error('empty reply');
      clearTimeout(slowTimer);
      if (mine === generation) for (const entry of replyEntries(messages)) addEntry(entry);
    } catch {
      clearTimeout(slowTimer);
      if (store.exiting || mine !== generation) return;
      addEntry({ kind: 'notice', type: 'error', retry: message, retryShown: shown });
      if (!slowShown) addEntry({ kind: 'notice', type: 'emergency', slow: false });
    } finally {
      clearTimeout(giveUpTimer);
      if (inFlight === controller) inFlight = null;
      typing.hidden = true;
    }
  }

  return { send, cancel, abort };
}

/** The REST channel's request: who, what, and the metadata (cards always, the kommune when known). */
export function requestBody(sender, message, kommune) {
  const metadata = { cards: true };
  if (kommune) metadata.kommune = kommune;
  return { sender, message, metadata };
}

/** The entries a reply adds: a doors payload as cards, every other message as its text and buttons. */
export function replyEntries(messages) {
  const entries = [];
  for (const message of messages) {
    if (!message || typeof message !== 'object') continue;
    const custom = message.custom;
    if (custom && typeof custom === 'object' && custom.type === 'doors') {
      const payload = cleanDoors(custom);
      if (payload.doors.length) entries.push({ kind: 'doors', payload });
      continue;
    }
    const text = typeof message.text === 'string' ? message.text.slice(0, 5000) : '';
    const buttons = Array.isArray(message.buttons)
      ? message.buttons
          .filter((b) => b && typeof b.title === 'string' && typeof b.payload === 'string')
          .slice(0, 10)
          .map((b) => ({ title: b.title.slice(0, 200), payload: b.payload.slice(0, MAX_CHARS) }))
      : [];
    if (text || buttons.length) entries.push({ kind: 'bot', text, buttons });
  }
  return entries;
}
