/*
 * Door cards: the bot's ``doors`` payload ({type: 'doors', need, urgency, doors: [...]}) as cards with the
 * name, one line of description, the opening line, badges and call / SMS / chat / map / web links.
 *
 * The widget renders the payload and nothing else. Each door's ``opening`` ("Åpen nå", "Stengt nå, åpner
 * tirsdag kl. 15", or null when the hours are unknown) is written by the server in the conversation's
 * language and shown as it is; ``open_now`` and ``open_24_7`` only choose its style. The ``text`` of the
 * payload and of each door (the same doors as readable text, for clients without cards) is not read.
 */
import { BOOL_FIELDS, CHAT_DOORS, INTEGER_FIELDS, STRING_FIELDS } from './contract.js';
import { el, safeHref, srOnly } from './dom.js';
import { fill } from './texts.js';

/** A need or door code. */
export const CODE = /^[a-z][a-z0-9_]{0,39}$/;

/** Only the contract's fields, with the types they must have (the rest of the payload is dropped). */
export function cleanDoors(custom) {
  const doors = Array.isArray(custom.doors) ? custom.doors : [];
  return {
    need: typeof custom.need === 'string' && CODE.test(custom.need) ? custom.need : null,
    urgency: typeof custom.urgency === 'string' ? custom.urgency : null,
    doors: doors
      .filter((d) => d && typeof d === 'object' && typeof d.name === 'string')
      .slice(0, CHAT_DOORS)
      .map(cleanDoor),
  };
}

function cleanDoor(d) {
  const door = {};
  for (const key of STRING_FIELDS) door[key] = typeof d[key] === 'string' ? d[key].slice(0, 2000) : null;
  for (const key of BOOL_FIELDS) door[key] = typeof d[key] === 'boolean' ? d[key] : null;
  for (const key of INTEGER_FIELDS) door[key] = Number.isInteger(d[key]) ? d[key] : null;
  door.address = addressText(d.address);
  return door;
}

function addressText(a) {
  if (!a || typeof a !== 'object') return null;
  const text = (x) => (typeof x === 'string' ? x.trim() : '');
  const place = [text(a.postal_code), text(a.city)].filter(Boolean).join(' ');
  return [text(a.street), place].filter(Boolean).join(', ') || null;
}

/** The cards of a cleaned payload, under "Her kan du få hjelp" (or "Haster: ring nå" when akutt). */
export function renderDoors(payload, T) {
  const urgent = payload.urgency === 'akutt';
  const wrapper = el('div', {
    class: `vv-doors${urgent ? ' vv-urgent' : ''}`,
    'data-urgency': payload.urgency || '',
  });
  wrapper.append(el('p', { class: 'vv-doors-label' }, urgent ? T.doorsUrgent : T.doorsLabel));
  const list = el('ul', { class: 'vv-door-list', role: 'list' });
  for (const door of payload.doors) list.append(el('li', {}, renderDoor(door, T)));
  wrapper.append(list);
  return wrapper;
}

let cardCounter = 0;
function renderDoor(door, T) {
  const headingId = `vv-door-${++cardCounter}`;
  const card = el('article', {
    class: 'vv-door',
    'data-door': door.category || 'other',
    'aria-labelledby': headingId,
  });
  card.append(el('h3', { id: headingId, class: 'vv-door-name' }, door.name));
  const [first, rest] = splitDescription(door.description);
  if (first) card.append(el('p', { class: 'vv-door-desc' }, first));
  if (door.opening) {
    const open = door.open_24_7 || door.open_now === true;
    card.append(el('p', { class: `vv-door-status ${open ? 'vv-open' : 'vv-closed'}` }, door.opening));
  }
  const badges = [];
  if (door.cost === 'free') badges.push(T.free);
  if (door.anonymous === true) badges.push(T.anonymous);
  if (door.referral_required === false) badges.push(T.noReferral);
  const ages = agesText(door, T);
  if (ages) badges.push(ages);
  if (door.example === true) badges.push(T.example);
  if (badges.length) {
    const items = badges.map((b) => el('li', { class: `vv-badge${b === T.example ? ' vv-badge-example' : ''}` }, b));
    card.append(el('ul', { class: 'vv-badges', role: 'list' }, ...items));
  }
  if (door.generic && door.how_to_reach) card.append(el('p', { class: 'vv-door-reach' }, door.how_to_reach));
  if (door.address) card.append(el('p', { class: 'vv-door-address' }, door.address));
  const actions = doorActions(door, T);
  if (actions.length) card.append(el('div', { class: 'vv-actions' }, ...actions));
  if (rest) card.append(el('details', { class: 'vv-more' }, el('summary', {}, T.more), el('p', {}, rest)));
  if (!door.generic && door.how_to_reach) card.append(el('p', { class: 'vv-door-reach' }, door.how_to_reach));
  return card;
}

/** Links for a door: Ring, SMS, Chat, Kart, Nettside; an href that is not tel:, sms: or http(s) is dropped. */
function doorActions(door, T) {
  const actions = [];
  const tel = safeHref(door.phone_href, ['tel:']);
  if (tel) {
    const label = fill(T.call, { n: door.phone || tel.slice(4) });
    actions.push(
      el('a', { href: tel, class: 'vv-action vv-call', 'data-action': 'call' }, label, srOnly(` – ${door.name}`)),
    );
  }
  const sms = safeHref(door.sms_href, ['sms:']);
  if (sms) {
    const label = fill(T.sms, { n: door.sms || sms.slice(4) });
    actions.push(el('a', { href: sms, class: 'vv-action', 'data-action': 'sms' }, label, srOnly(` – ${door.name}`)));
  }
  const web = [
    ['chat_url', 'chat', T.chat],
    ['map_url', 'map', T.map],
    ['url', 'web', T.web],
  ];
  for (const [key, action, label] of web) {
    const href = safeHref(door[key], ['https:', 'http:']);
    if (!href) continue;
    const attrs = { href, class: 'vv-action', 'data-action': action, target: '_blank', rel: 'noopener noreferrer' };
    actions.push(el('a', attrs, label, srOnly(` – ${door.name} ${T.newTab}`)));
  }
  return actions;
}

function splitDescription(text) {
  if (!text) return [null, null];
  const match = /^(.+?[.!?])\s+(.+)$/s.exec(text.trim());
  return match ? [match[1], match[2]] : [text.trim(), null];
}

function agesText(door, T) {
  const { age_min: min, age_max: max } = door;
  if (min !== null && max !== null) return fill(T.ages, { min, max });
  if (min !== null) return fill(T.agesFrom, { min });
  if (max !== null) return fill(T.agesTo, { max });
  return null;
}

/** A door as lines of the transcript: the name with its opening line, then how to reach it. */
export function doorLines(door, T) {
  const reach = [
    door.phone && fill(T.call, { n: door.phone }),
    door.sms && fill(T.sms, { n: door.sms }),
    door.chat_url,
    door.url,
    door.address,
    door.how_to_reach,
  ];
  const lines = [`  • ${door.name}${door.opening ? ` (${door.opening})` : ''}`];
  const details = reach.filter(Boolean).join(' · ');
  if (details) lines.push(`    ${details}`);
  return lines;
}
