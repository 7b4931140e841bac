/*
 * User participation: under a doors set that is not urgent, the widget asks once per conversation "Var
 * dette til hjelp?". The answer sends only the need, the door codes shown and yes/no. Only after an explicit
 * "Del meldingen" does it send what the young person wrote (shown to them first; the server removes names,
 * numbers and addresses). Never after an akutt reply: crisis text is never stored (safety.md rule 6).
 */
import { MAX_CHARS } from './config.js';
import { CODE } from './doors.js';
import { el } from './dom.js';

const MAX_FEEDBACK_DOORS = 6;

/**
 * The question for the conversation in ``store``, shown in ``ui.log`` and said in ``ui.status``; answers go
 * to ``feedbackEndpoint`` and shared messages to ``shareEndpoint``. ``place()`` puts it where it belongs.
 */
export function createFeedback(T, store, ui, { feedbackEndpoint, shareEndpoint }) {
  const { log, status } = ui;
  let feedbackCounter = 0;

  /** Index of the doors set the question belongs under, or -1: never after an akutt reply, once per conversation. */
  function feedbackTarget() {
    const state = store.state;
    if (state.feedback) return state.feedback.doors;
    if (crisisShown()) return -1;
    for (let i = state.entries.length - 1; i >= 0; i--) {
      const entry = state.entries[i];
      if (entry.kind === 'doors') return feedbackCodes(entry.payload) ? i : -1;
    }
    return -1;
  }

  function crisisShown() {
    return store.state.entries.some((entry) => entry.kind === 'doors' && entry.payload.urgency === 'akutt');
  }

  /** What the young person wrote that led to the doors at ``index``: their messages since doors for another need. */
  function sharedText(index) {
    const entries = store.state.entries;
    const need = entries[index].payload.need;
    const texts = [];
    for (let i = index - 1; i >= 0; i--) {
      const entry = entries[i];
      if (entry.kind === 'doors' && entry.payload.need !== need) break;
      if (entry.kind === 'user' && typeof entry.text === 'string' && entry.text.trim()) texts.unshift(entry.text.trim());
    }
    return texts.join(' / ').slice(0, MAX_CHARS);
  }

  /** Put the question (or its answered state) under the doors set it belongs to; anywhere else, remove it. */
  function place(focusTarget) {
    log.querySelector('.vv-feedback')?.remove();
    const entries = store.state.entries;
    const index = feedbackTarget();
    if (index < 0 || !entries[index] || entries[index].kind !== 'doors') return;
    const codes = feedbackCodes(entries[index].payload);
    if (!codes) return;
    const nth = entries.slice(0, index + 1).filter((entry) => entry.kind === 'doors').length - 1;
    const anchor = log.querySelectorAll('.vv-doors')[nth];
    if (!anchor) return;
    const block = renderFeedback(index, codes);
    anchor.after(block);
    if (focusTarget) block.querySelector(focusTarget)?.focus();
  }

  function renderFeedback(index, codes) {
    const id = `vv-feedback-${++feedbackCounter}`;
    const block = el('div', { class: 'vv-feedback', 'data-veiviser-feedback': '' });
    const feedback = store.state.feedback;
    const answer = feedback && feedback.doors === index ? feedback : null;
    if (!answer) {
      const group = el(
        'div',
        { class: 'vv-feedback-ask', role: 'group', 'aria-labelledby': id },
        el('p', { id, class: 'vv-feedback-question' }, T.feedbackQuestion),
      );
      const buttons = el('div', { class: 'vv-buttons' });
      for (const [label, helpful] of [[T.feedbackYes, true], [T.feedbackNo, false]]) {
        const button = el('button', { type: 'button', class: 'vv-chip', 'data-helpful': String(helpful) }, label);
        button.addEventListener('click', () => answerFeedback(index, codes, helpful));
        buttons.append(button);
      }
      group.append(buttons);
      block.append(group);
      return block;
    }
    block.append(el('p', { class: 'vv-feedback-thanks', tabindex: '-1' }, T.feedbackThanks));
    const text = sharedText(index);
    if (answer.share === 'sent') block.append(el('p', { class: 'vv-share-done' }, T.shareThanks));
    else if (answer.share === 'declined') block.append(el('p', { class: 'vv-share-done' }, T.shareDeclined));
    else if (answer.share === 'failed') block.append(el('p', { class: 'vv-share-done' }, T.shareFailed));
    else if (text && !crisisShown()) block.append(renderShareOffer(index, codes, text, answer.helpful));
    return block;
  }

  function renderShareOffer(index, codes, text, helpful) {
    const id = `vv-share-${feedbackCounter}`;
    const offer = el(
      'div',
      { class: 'vv-share', role: 'group', 'aria-labelledby': id },
      el('p', { id, class: 'vv-share-question' }, T.shareQuestion),
      el('p', { class: 'vv-share-label' }, T.shareTextLabel),
      el('blockquote', { class: 'vv-share-text', 'data-veiviser-share-text': '' }, text),
    );
    const share = el('button', { type: 'button', class: 'vv-chip' }, T.shareYes);
    const decline = el('button', { type: 'button', class: 'vv-chip' }, T.shareNo);
    share.addEventListener('click', () => shareMessage(index, codes, text, helpful));
    decline.addEventListener('click', () => settleShare('declined', T.shareDeclined));
    offer.append(el('div', { class: 'vv-buttons' }, share, decline));
    return offer;
  }

  function answerFeedback(index, codes, helpful) {
    if (store.state.feedback) return;
    store.state.feedback = { doors: index, helpful, share: null };
    store.save();
    place('.vv-feedback-thanks');
    status.textContent = T.feedbackThanks;
    // A failed count is not the young person's problem: the chat carries on as before.
    postJson(feedbackEndpoint, { need: codes.need, doors: codes.doors, helpful }).catch(() => {});
  }

  function shareMessage(index, codes, text, helpful) {
    const feedback = store.state.feedback;
    if (!feedback || feedback.share) return;
    const body = { need: codes.need, doors: codes.doors, helpful, text, consent: true };
    settleShare('sent', T.shareThanks);
    postJson(shareEndpoint, body).catch(() => {
      if (store.state.feedback && store.state.feedback.doors === index) settleShare('failed', T.shareFailed);
    });
  }

  function settleShare(share, said) {
    if (!store.state.feedback) return;
    store.state.feedback.share = share;
    store.save();
    place('.vv-feedback-thanks');
    status.textContent = said;
  }

  return { place };
}

/** The need and the door codes of a doors set in the order shown, or null when it cannot be asked about. */
function feedbackCodes(payload) {
  if (!payload.need || payload.urgency === 'akutt') return null;
  const doors = payload.doors.map((d) => d.category).filter((c) => typeof c === 'string' && CODE.test(c));
  if (!doors.length) return null;
  return { need: payload.need, doors: doors.slice(0, MAX_FEEDBACK_DOORS) };
}

function postJson(url, body) {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
  }).then((response) => {
    if (!response.ok) throw new Error(`status ${response.status}`);
  });
}
