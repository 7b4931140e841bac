/*
 * GENERATED FILE, do not edit: the Veiviser chat widget, built by scripts/build_widget.py (`make widget`)
 * from the ES modules in service_catalog/web/widget/ (main.js and what it imports). Change those and
 * rebuild; `make test` fails while this file differs from a fresh build.
 */
(() => {
'use strict';

// ---- texts.js
const __widget_texts = (() => {
/*
 * The widget's own words in bokmål, nynorsk and English: the strip, the buttons, the notices, the cards'
 * labels and the feedback questions. The bot's words and each door's opening line come from the server,
 * in the language of the conversation; only these are chosen by data-lang.
 */

const STRINGS = {
  nb: {
    launcher: 'Chat med Veiviser',
    title: 'Veiviser',
    subtitle: 'Jeg er en chatbot, ikke et menneske. Jeg viser deg hvor du kan få hjelp.',
    close: 'Lukk',
    closeLabel: 'Lukk chatten',
    exit: 'Forlat siden raskt',
    stripLabel: 'Akutt hjelp',
    strip: [['113', 'Nødhjelp', 'tel:113'], ['116 111', 'Alarmtelefonen', 'tel:116111'], ['116 123', 'Mental Helse', 'tel:116123']],
    greeting: 'Hei! Jeg er Veiviser, en chatbot. Skriv med dine egne ord hva som er vanskelig, så finner vi ut hvem som kan hjelpe deg.',
    quickLabel: 'Eller velg det som passer best:',
    quick: [
      'Jeg er lei meg',
      'Noen slår meg eller gjør meg vondt',
      'Jeg er redd og får panikk',
      'Det er vanskelig hjemme',
      'Jeg vil snakke med noen',
      'Kropp, sex og prevensjon',
    ],
    logLabel: 'Samtalen',
    inputLabel: 'Skriv meldingen din',
    send: 'Send',
    tooLong: 'Meldingen kan være opptil 1000 tegn. Du kan sende resten i en ny melding.',
    typing: 'Veiviser skriver …',
    you: 'Du',
    bot: 'Veiviser',
    slow: 'Svaret tar tid. Haster det? Ring 113. Vil du snakke med noen, ring 116 123 eller 116 111. De svarer hele døgnet.',
    down: 'Veiviser svarer ikke akkurat nå. Prøv igjen om litt.',
    downUrgent: 'Haster det? Ring 113. Vil du snakke med noen, ring 116 123 eller 116 111. De svarer hele døgnet.',
    emergencyLinks: [['Ring 113', 'tel:113'], ['Ring 116 123', 'tel:116123'], ['Ring 116 111', 'tel:116111']],
    retry: 'Prøv igjen',
    clear: 'Slett samtalen',
    cleared: 'Samtalen er slettet.',
    download: 'Last ned samtalen',
    privacy: 'Personvern',
    newTab: '(åpnes i ny fane)',
    doorsLabel: 'Her kan du få hjelp',
    doorsUrgent: 'Haster: ring nå',
    free: 'Gratis',
    anonymous: 'Anonymt',
    noReferral: 'Uten henvisning',
    example: 'Eksempeldata',
    ages: '{min}–{max} år',
    agesFrom: 'Fra {min} år',
    agesTo: 'Til {max} år',
    call: 'Ring {n}',
    sms: 'SMS {n}',
    chat: 'Chat',
    map: 'Kart',
    web: 'Nettside',
    more: 'Mer om dette stedet',
    transcriptTitle: 'Samtale med Veiviser',
    transcriptNote: 'Haster det? Ring 113. Mental Helse 116 123. Alarmtelefonen 116 111.',
    feedbackQuestion: 'Var dette til hjelp?',
    feedbackYes: 'Ja',
    feedbackNo: 'Nei',
    feedbackThanks: 'Takk!',
    shareQuestion: 'Vil du dele det du skrev, så vi kan gjøre Veiviser bedre? Navn, telefonnummer og adresser blir fjernet.',
    shareTextLabel: 'Dette blir delt:',
    shareYes: 'Del meldingen',
    shareNo: 'Nei takk',
    shareThanks: 'Takk for at du delte! Meldingen blir brukt til å gjøre Veiviser bedre.',
    shareDeclined: 'Greit, meldingen din blir ikke delt.',
    shareFailed: 'Det gikk ikke å dele meldingen nå. Den er ikke lagret.',
    locale: 'nb-NO',
  },
  nn: {
    launcher: 'Chat med Veiviser',
    title: 'Veiviser',
    subtitle: 'Eg er ein chatbot, ikkje eit menneske. Eg viser deg kvar du kan få hjelp.',
    close: 'Lukk',
    closeLabel: 'Lukk chatten',
    exit: 'Gå raskt frå sida',
    stripLabel: 'Akutt hjelp',
    strip: [['113', 'Naudhjelp', 'tel:113'], ['116 111', 'Alarmtelefonen', 'tel:116111'], ['116 123', 'Mental Helse', 'tel:116123']],
    greeting: 'Hei! Eg er Veiviser, ein chatbot. Skriv med dine eigne ord kva som er vanskeleg, så finn vi ut kven som kan hjelpe deg.',
    quickLabel: 'Eller vel det som passar best:',
    quick: [
      'Eg er lei meg',
      'Nokon slår meg',
      'Eg er redd og får panikk',
      'Det er mykje krangling heime',
      'Eg vil snakke med nokon',
      'Kropp, sex og prevensjon',
    ],
    logLabel: 'Samtalen',
    inputLabel: 'Skriv meldinga di',
    send: 'Send',
    tooLong: 'Meldinga kan vere opptil 1000 teikn. Du kan sende resten i ei ny melding.',
    typing: 'Veiviser skriv …',
    you: 'Du',
    bot: 'Veiviser',
    slow: 'Svaret tek tid. Hastar det? Ring 113. Vil du snakke med nokon, ring 116 123 eller 116 111. Dei svarar heile døgeret.',
    down: 'Veiviser svarar ikkje akkurat no. Prøv igjen om litt.',
    downUrgent: 'Hastar det? Ring 113. Vil du snakke med nokon, ring 116 123 eller 116 111. Dei svarar heile døgeret.',
    emergencyLinks: [['Ring 113', 'tel:113'], ['Ring 116 123', 'tel:116123'], ['Ring 116 111', 'tel:116111']],
    retry: 'Prøv igjen',
    clear: 'Slett samtalen',
    cleared: 'Samtalen er sletta.',
    download: 'Last ned samtalen',
    privacy: 'Personvern',
    newTab: '(opnar i ny fane)',
    doorsLabel: 'Her kan du få hjelp',
    doorsUrgent: 'Hastar: ring no',
    free: 'Gratis',
    anonymous: 'Anonymt',
    noReferral: 'Utan tilvising',
    example: 'Eksempeldata',
    ages: '{min}–{max} år',
    agesFrom: 'Frå {min} år',
    agesTo: 'Til {max} år',
    call: 'Ring {n}',
    sms: 'SMS {n}',
    chat: 'Chat',
    map: 'Kart',
    web: 'Nettside',
    more: 'Meir om denne staden',
    transcriptTitle: 'Samtale med Veiviser',
    transcriptNote: 'Hastar det? Ring 113. Mental Helse 116 123. Alarmtelefonen 116 111.',
    feedbackQuestion: 'Var dette til hjelp?',
    feedbackYes: 'Ja',
    feedbackNo: 'Nei',
    feedbackThanks: 'Takk!',
    shareQuestion: 'Vil du dele det du skreiv, så vi kan gjere Veiviser betre? Namn, telefonnummer og adresser blir fjerna.',
    shareTextLabel: 'Dette blir delt:',
    shareYes: 'Del meldinga',
    shareNo: 'Nei takk',
    shareThanks: 'Takk for at du delte! Meldinga blir brukt til å gjere Veiviser betre.',
    shareDeclined: 'Greitt, meldinga di blir ikkje delt.',
    shareFailed: 'Det gjekk ikkje å dele meldinga no. Ho er ikkje lagra.',
    locale: 'nn-NO',
  },
  en: {
    launcher: 'Chat with Veiviser',
    title: 'Veiviser',
    subtitle: 'I am a chatbot, not a person. I show you where to get help.',
    close: 'Close',
    closeLabel: 'Close the chat',
    exit: 'Exit this page',
    stripLabel: 'Emergency',
    strip: [['113', 'Emergency', 'tel:113'], ['116 111', 'Children, abuse', 'tel:116111'], ['116 123', 'Someone to talk to', 'tel:116123']],
    greeting: 'Hi! I am Veiviser, a chatbot. Write in your own words what is difficult, and we will find out who can help you.',
    quickLabel: 'Or choose what fits best:',
    quick: [
      'I feel sad',
      'Someone hurts me',
      'I have panic attacks',
      'Things are hard at home',
      'I want to talk to someone',
      'Sex and contraception',
    ],
    logLabel: 'Conversation',
    inputLabel: 'Write your message',
    send: 'Send',
    tooLong: 'A message can be up to 1000 characters. You can send the rest in a new message.',
    typing: 'Veiviser is typing …',
    you: 'You',
    bot: 'Veiviser',
    slow: 'The answer is taking a while. Is it urgent? Call 113. To talk to someone, call 116 123 or 116 111. They answer day and night.',
    down: 'Veiviser is not answering right now. Please try again in a little while.',
    downUrgent: 'Is it urgent? Call 113. To talk to someone, call 116 123 or 116 111. They answer day and night.',
    emergencyLinks: [['Call 113', 'tel:113'], ['Call 116 123', 'tel:116123'], ['Call 116 111', 'tel:116111']],
    retry: 'Try again',
    clear: 'Delete the conversation',
    cleared: 'The conversation is deleted.',
    download: 'Download the conversation',
    privacy: 'Privacy',
    newTab: '(opens in a new tab)',
    doorsLabel: 'Where you can get help',
    doorsUrgent: 'Urgent: call now',
    free: 'Free',
    anonymous: 'Anonymous',
    noReferral: 'No referral needed',
    example: 'Example data',
    ages: 'Ages {min}–{max}',
    agesFrom: 'From age {min}',
    agesTo: 'Up to age {max}',
    call: 'Call {n}',
    sms: 'Text {n}',
    chat: 'Chat',
    map: 'Map',
    web: 'Website',
    more: 'More about this place',
    transcriptTitle: 'Conversation with Veiviser',
    transcriptNote: 'Urgent? Call 113. Mental Helse 116 123. Alarmtelefonen 116 111.',
    feedbackQuestion: 'Was this helpful?',
    feedbackYes: 'Yes',
    feedbackNo: 'No',
    feedbackThanks: 'Thank you!',
    shareQuestion: 'Would you like to share what you wrote, so we can make Veiviser better? Names, phone numbers and addresses are removed.',
    shareTextLabel: 'This is what would be shared:',
    shareYes: 'Share the message',
    shareNo: 'No thanks',
    shareThanks: 'Thank you for sharing! It will be used to make Veiviser better.',
    shareDeclined: 'Fine, your message is not shared.',
    shareFailed: 'The message could not be shared right now. It has not been stored.',
    locale: 'en-GB',
  },
};

/** The language of data-lang when it is one of ours, else bokmål. */
function pickLang(value) {
  return Object.prototype.hasOwnProperty.call(STRINGS, value) ? value : 'nb';
}

/** ``template`` with each {name} replaced by ``values[name]``. */
function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ''));
}
return { STRINGS, pickLang, fill };
})();

// ---- config.js
const __widget_config = (() => {
/*
 * The widget's settings, read once from its own script tag (data-kommune, data-lang, data-endpoint,
 * data-feedback-endpoint, data-exit-url, data-open); never from the bot. Addresses that are not http(s)
 * fall back to the defaults on the script's origin.
 */
const { pickLang, STRINGS } = __widget_texts;

/** The longest message the young person can send (and the longest text the widget sends for them). */
const MAX_CHARS = 1000;
const DEFAULT_EXIT = 'https://www.yr.no/nb';

/** The configuration of the widget loaded by ``script`` (its ``<script>`` element). */
function readConfig(script) {
  const scriptUrl = new URL(script.src, document.baseURI);
  const data = script.dataset;
  const lang = pickLang(data.lang);
  const feedbackEndpoint =
    httpUrl(data.feedbackEndpoint, scriptUrl) || new URL('/api/v1/feedback', scriptUrl).href;
  return Object.freeze({
    lang,
    texts: STRINGS[lang],
    kommune: /^\d{4}$/.test(data.kommune || '') ? data.kommune : null,
    endpoint: httpUrl(data.endpoint, scriptUrl) || new URL('/webhooks/rest/webhook', scriptUrl).href,
    feedbackEndpoint,
    shareEndpoint: `${feedbackEndpoint.replace(/\/+$/, '')}/share`,
    exitUrl: httpUrl(data.exitUrl, scriptUrl) || DEFAULT_EXIT,
    openAtLoad: data.open === 'true',
    privacyUrl: new URL('/personvern', scriptUrl).href,
    cssUrl: new URL('widget.css', scriptUrl).href,
  });
}

function httpUrl(value, base) {
  if (typeof value !== 'string' || !value.trim()) return null;
  try {
    const url = new URL(value.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
return { MAX_CHARS, readConfig };
})();

// ---- contract.js
const __widget_contract = (() => {
/*
 * GENERATED by scripts/build_widget.py from veiviser_contract/doors.py (`make widget`): the fields of
 * one door of the doors payload, by type, and how many doors the chat shows. Do not edit.
 */
const STRING_FIELDS = ['category', 'key', 'name', 'description', 'scope', 'how_to_reach', 'phone', 'phone_href', 'sms', 'sms_href', 'chat_url', 'url', 'map_url', 'next_open', 'opening', 'cost', 'text'];
const BOOL_FIELDS = ['generic', 'open_now', 'open_24_7', 'referral_required', 'specialist', 'anonymous', 'example'];
const INTEGER_FIELDS = ['age_min', 'age_max'];
const CHAT_DOORS = 6;
return { STRING_FIELDS, BOOL_FIELDS, INTEGER_FIELDS, CHAT_DOORS };
})();

// ---- dom.js
const __widget_dom = (() => {
/*
 * Small DOM helpers. Everything is built from text: nothing from the bot is ever parsed as HTML, and a
 * link from the bot keeps its href only when the scheme is one the caller allows.
 */

/** A ``tag`` element with ``attrs`` (``class``, ``text`` or attributes; null/false skipped) and children. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** Text for screen readers only. */
function srOnly(text) {
  return el('span', { class: 'vv-sr', text });
}

/** A list of call links from ``[label, 'tel:…']`` pairs. */
function telLinks(links, className) {
  return el(
    'ul',
    { class: className },
    ...links.map(([label, href]) => el('li', {}, el('a', { href, 'data-action': 'call', text: label }))),
  );
}

/** An href from the bot, only when its scheme is one of ``schemes`` (e.g. ['tel:']); else null. */
function safeHref(value, schemes) {
  if (typeof value !== 'string' || value.length > 2000) return null;
  try {
    const url = new URL(value);
    return schemes.includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
return { el, srOnly, telLinks, safeHref };
})();

// ---- doors.js
const __widget_doors = (() => {
/*
 * Door cards: the bot's ``doors`` payload ({type: 'doors', need, urgency, doors: [...]}) as cards with the
 * name, one line of description, the opening line, badges and call / SMS / chat / map / web links.
 *
 * The widget renders the payload and nothing else. Each door's ``opening`` ("Åpen nå", "Stengt nå, åpner
 * tirsdag kl. 15", or null when the hours are unknown) is written by the server in the conversation's
 * language and shown as it is; ``open_now`` and ``open_24_7`` only choose its style. The ``text`` of the
 * payload and of each door (the same doors as readable text, for clients without cards) is not read.
 */
const { BOOL_FIELDS, CHAT_DOORS, INTEGER_FIELDS, STRING_FIELDS } = __widget_contract;
const { el, safeHref, srOnly } = __widget_dom;
const { fill } = __widget_texts;

/** A need or door code. */
const CODE = /^[a-z][a-z0-9_]{0,39}$/;

/** Only the contract's fields, with the types they must have (the rest of the payload is dropped). */
function cleanDoors(custom) {
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
function renderDoors(payload, T) {
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
function doorLines(door, T) {
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
return { CODE, cleanDoors, renderDoors, doorLines };
})();

// ---- conversation.js
const __widget_conversation = (() => {
/*
 * The conversation in the log: the greeting and quick replies, then each entry (what the young person
 * wrote, the bot's text and buttons, door cards, notices) as it is added or restored. New entries are
 * saved and scrolled into view inside the log, never by scrolling the municipality's page.
 */
const { renderDoors } = __widget_doors;
const { el, srOnly, telLinks } = __widget_dom;

/**
 * The log of ``ui`` for the conversation in ``store``. ``submit(message, shown)`` sends a quick reply or
 * a bot button; ``feedback.place()`` puts "Var dette til hjelp?" under the doors it belongs to.
 */
function createConversation(T, store, ui, { submit, feedback }) {
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
return { createConversation };
})();

// ---- feedback.js
const __widget_feedback = (() => {
/*
 * User participation: under a doors set that is not urgent, the widget asks once per conversation "Var
 * dette til hjelp?". The answer sends only the need, the door codes shown and yes/no. Only after an explicit
 * "Del meldingen" does it send what the young person wrote (shown to them first; the server removes names,
 * numbers and addresses). Never after an akutt reply: crisis text is never stored (safety.md rule 6).
 */
const { MAX_CHARS } = __widget_config;
const { CODE } = __widget_doors;
const { el } = __widget_dom;

const MAX_FEEDBACK_DOORS = 6;

/**
 * The question for the conversation in ``store``, shown in ``ui.log`` and said in ``ui.status``; answers go
 * to ``feedbackEndpoint`` and shared messages to ``shareEndpoint``. ``place()`` puts it where it belongs.
 */
function createFeedback(T, store, ui, { feedbackEndpoint, shareEndpoint }) {
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
return { createFeedback };
})();

// ---- panel.js
const __widget_panel = (() => {
/*
 * The widget's frame in an open shadow root (the page's CSS cannot break it): the launcher and the quick
 * exit button docked at the bottom, and the panel with its header, the emergency strip (part of the widget's
 * own markup: it never waits for the bot), the log, the input and the tools (delete, download, privacy).
 */
const { MAX_CHARS } = __widget_config;
const { el, srOnly } = __widget_dom;

/**
 * The widget's elements for ``config``; ``setOpen(open)`` opens or closes the panel (remembered in
 * ``store``). The controls call ``onExit()``, ``onSend(text)``, ``onClear()`` and ``onDownload()``.
 */
function createPanel(config, store, { onExit, onSend, onClear, onDownload }) {
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
return { createPanel };
})();

// ---- quick_exit.js
const __widget_quick_exit = (() => {
/*
 * Quick exit, as GOV.UK's "Exit this page": the button, Shift three times or Escape twice within a second.
 * The page is blanked at once and replaced (location.replace, so Back does not return), and the
 * conversation is deleted.
 */

const EXIT_WINDOW_MS = 1000;

/** Leave for ``exitUrl`` now: stop the request (``abort``), forget the conversation, remove ``host``. */
function leavePage(exitUrl, store, host, abort) {
  if (store.exiting) return;
  store.exiting = true;
  abort();
  store.forget();
  // Blank the page at once, before the next page has loaded; replace() keeps Back from returning here.
  document.title = '';
  host.remove();
  if (document.body) {
    for (const child of Array.from(document.body.children)) child.style.setProperty('display', 'none', 'important');
  }
  window.location.replace(exitUrl);
}

/**
 * Call ``leave()`` on Shift ×3 or Escape ×2 within a second; the first Escape only closes the panel
 * (``isOpen()``, ``close()``). A page restored from the back/forward cache after leaving leaves again.
 */
function listenForExit({ leave, isOpen, close, exitUrl, store }) {
  let shiftPresses = [];
  let lastEscape = 0;
  document.addEventListener(
    'keydown',
    (event) => {
      const now = Date.now();
      if (event.key === 'Shift') {
        // Shift alone, pressed and released, counts; holding it for capitals repeats or meets another key.
        if (event.repeat || event.ctrlKey || event.altKey || event.metaKey) return;
        shiftPresses = shiftPresses.filter((t) => now - t < EXIT_WINDOW_MS);
        shiftPresses.push(now);
        if (shiftPresses.length >= 3) leave();
        return;
      }
      shiftPresses = [];
      if (event.key !== 'Escape' || event.repeat) return;
      if (now - lastEscape < EXIT_WINDOW_MS) {
        event.preventDefault();
        leave();
        return;
      }
      lastEscape = now;
      // The first Escape closes the panel; a second within a second leaves the page.
      if (isOpen()) close();
    },
    true,
  );
  window.addEventListener('pageshow', (event) => {
    if (event.persisted && store.exiting) window.location.replace(exitUrl);
  });
}
return { leavePage, listenForExit };
})();

// ---- state.js
const __widget_state = (() => {
/*
 * The conversation's state, kept in sessionStorage only (this tab; gone when it closes): the sender id,
 * the entries shown (user, bot, doors, notice), whether the panel is open, and the answer to "Var dette til
 * hjelp?". What is read back is checked, so a garbled or old store starts afresh rather than breaking.
 */

const STORAGE_KEY = 'veiviser-chat';

/**
 * The store: ``state`` (replaced by ``reset``), ``exiting`` (set by the quick exit: nothing is saved after
 * it), ``save()``, ``forget()`` (remove what is stored) and ``reset(open)`` (a new, empty conversation).
 */
function createStore() {
  const store = {
    state: loadState(),
    exiting: false,
    save() {
      if (store.exiting) return;
      try {
        window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(store.state));
      } catch {
        // storage full or blocked: the conversation still works, it just is not restored on reload
      }
    },
    forget() {
      try {
        window.sessionStorage.removeItem(STORAGE_KEY);
      } catch {
        // nothing stored
      }
    },
    reset(open) {
      store.state = emptyState(open);
      store.forget();
    },
  };
  return store;
}

function emptyState(open) {
  return { sender: newSenderId(), entries: [], open, feedback: null };
}

function loadState() {
  try {
    const saved = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || 'null');
    if (saved && typeof saved.sender === 'string' && Array.isArray(saved.entries)) {
      const entries = saved.entries.filter(validEntry);
      return { sender: saved.sender, entries, open: saved.open === true, feedback: validFeedback(saved.feedback) };
    }
  } catch {
    // storage blocked or garbled: start afresh
  }
  return emptyState(false);
}

function newSenderId() {
  if (window.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; http://<LAN address> is not one (make run on another machine).
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The stored answer to "Var dette til hjelp?": which doors set it was about, yes/no, and the share choice. */
function validFeedback(value) {
  if (!value || typeof value !== 'object' || !Number.isInteger(value.doors)) return null;
  if (typeof value.helpful !== 'boolean') return null;
  const share = ['sent', 'declined', 'failed'].includes(value.share) ? value.share : null;
  return { doors: value.doors, helpful: value.helpful, share };
}

function validEntry(entry) {
  if (!entry || typeof entry !== 'object') return false;
  if (entry.kind === 'doors') return Boolean(entry.payload) && Array.isArray(entry.payload.doors);
  return ['user', 'bot', 'notice'].includes(entry.kind);
}
return { createStore };
})();

// ---- transcript.js
const __widget_transcript = (() => {
/*
 * "Last ned samtalen": the conversation as a plain text file, made in the browser (nothing is sent).
 */
const { doorLines } = __widget_doors;
const { el } = __widget_dom;

const TIME_ZONE = 'Europe/Oslo';

/** The conversation in ``entries`` as text: the greeting, each message, each door, and the emergency numbers. */
function transcript(entries, T) {
  const locale = Intl.DateTimeFormat.supportedLocalesOf([T.locale]).length ? T.locale : 'nb-NO';
  const made = new Date().toLocaleString(locale, { timeZone: TIME_ZONE });
  const lines = [T.transcriptTitle, made, '', `${T.bot}: ${T.greeting}`];
  for (const entry of entries) {
    if (entry.kind === 'user') lines.push(`${T.you}: ${entry.text}`);
    else if (entry.kind === 'bot') {
      if (entry.text) lines.push(`${T.bot}: ${entry.text}`);
      for (const b of entry.buttons || []) lines.push(`  [${b.title}]`);
    } else if (entry.kind === 'doors') {
      for (const door of entry.payload.doors) lines.push(...doorLines(door, T));
    } else if (entry.kind === 'notice') {
      lines.push(`${T.bot}: ${entry.type === 'emergency' ? (entry.slow ? T.slow : T.downUrgent) : T.down}`);
    }
  }
  lines.push('', T.transcriptNote, '');
  return lines.join('\n');
}

/** Offer ``text`` as the download veiviser-samtale.txt (a link clicked inside ``root``, then removed). */
function downloadText(root, text) {
  const blob = new Blob([text], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: 'veiviser-samtale.txt', hidden: true });
  root.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
return { transcript, downloadText };
})();

// ---- transport.js
const __widget_transport = (() => {
/*
 * Talking to the chat: one POST a message to the Rasa REST channel, one at a time and in order.
 *
 * The request says ``metadata.cards: true`` (this client shows door cards, so the chat sends the doors
 * only as the ``doors`` payload, not again as text) and ``metadata.kommune`` when the page names one.
 * Principle 4, never leave a message unanswered for long: when no reply has come within SLOW_MS the
 * emergency block appears by itself; after GIVE_UP_MS the request is dropped, and a failed request says so,
 * offers to try again and shows the emergency block (unless it is already there).
 */
const { MAX_CHARS } = __widget_config;
const { cleanDoors } = __widget_doors;

const SLOW_MS = 4000;
const GIVE_UP_MS = 30000;

/**
 * The transport for the conversation in ``store``: ``send(message, shown)`` queues a message (``shown`` is
 * what the retry button shows again), ``cancel()`` drops every answer still to come (the conversation was
 * deleted), ``abort()`` stops the request in flight (quick exit). Replies become entries via ``addEntry``.
 */
function createTransport({ endpoint, kommune }, store, typing, addEntry) {
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
function requestBody(sender, message, kommune) {
  const metadata = { cards: true };
  if (kommune) metadata.kommune = kommune;
  return { sender, message, metadata };
}

/** The entries a reply adds: a doors payload as cards, every other message as its text and buttons. */
function replyEntries(messages) {
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
return { createTransport, requestBody, replyEntries };
})();

// ---- main.js
(() => {
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
const { MAX_CHARS, readConfig } = __widget_config;
const { createConversation } = __widget_conversation;
const { createFeedback } = __widget_feedback;
const { createPanel } = __widget_panel;
const { leavePage, listenForExit } = __widget_quick_exit;
const { createStore } = __widget_state;
const { downloadText, transcript } = __widget_transcript;
const { createTransport } = __widget_transport;

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
})();
})();
