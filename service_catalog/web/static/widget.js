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
 * User participation: under a doors card set that is not urgent, the widget asks once per conversation
 * "Var dette til hjelp?". The answer sends only the need, the door codes shown and yes/no. Only after an
 * explicit "Del meldingen" does it send what the young person wrote (shown to them first; the server removes
 * names, numbers and addresses). Never after an akutt reply: crisis text is never stored (safety.md rule 6).
 * Plain modern JavaScript: no build step, no dependencies.
 */
(() => {
  'use strict';

  const script = document.currentScript;
  if (!script || document.querySelector('[data-veiviser]')) return; // one widget per page

  const SCRIPT_URL = new URL(script.src, document.baseURI);
  const STORAGE_KEY = 'veiviser-chat';
  const SLOW_MS = 4000; // principle 4: never leave a message unanswered for long
  const GIVE_UP_MS = 30000;
  const MAX_CHARS = 1000;
  const EXIT_WINDOW_MS = 1000;
  const DEFAULT_EXIT = 'https://www.yr.no/nb';
  const TIME_ZONE = 'Europe/Oslo';

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
      open247: 'Døgnåpen',
      openNow: 'Åpen nå',
      closed: 'Stengt nå',
      closedOpens: 'Stengt nå – åpner {when}',
      at: 'kl.',
      today: 'i dag',
      tomorrow: 'i morgen',
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
      open247: 'Ope heile døgeret',
      openNow: 'Ope no',
      closed: 'Stengt no',
      closedOpens: 'Stengt no – opnar {when}',
      at: 'kl.',
      today: 'i dag',
      tomorrow: 'i morgon',
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
      open247: 'Open day and night',
      openNow: 'Open now',
      closed: 'Closed now',
      closedOpens: 'Closed now – opens {when}',
      at: 'at',
      today: 'today',
      tomorrow: 'tomorrow',
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

  // ---- configuration from the script tag (never from the bot)
  const data = script.dataset;
  const LANG = Object.prototype.hasOwnProperty.call(STRINGS, data.lang) ? data.lang : 'nb';
  const T = STRINGS[LANG];
  const KOMMUNE = /^\d{4}$/.test(data.kommune || '') ? data.kommune : null;
  const ENDPOINT = httpUrl(data.endpoint, SCRIPT_URL) || new URL('/webhooks/rest/webhook', SCRIPT_URL).href;
  const FEEDBACK_ENDPOINT =
    httpUrl(data.feedbackEndpoint, SCRIPT_URL) || new URL('/api/v1/feedback', SCRIPT_URL).href;
  const SHARE_ENDPOINT = `${FEEDBACK_ENDPOINT.replace(/\/+$/, '')}/share`;
  const CODE = /^[a-z][a-z0-9_]{0,39}$/;
  const MAX_FEEDBACK_DOORS = 6;
  const EXIT_URL = httpUrl(data.exitUrl, SCRIPT_URL) || DEFAULT_EXIT;
  const OPEN_AT_LOAD = data.open === 'true';
  const PRIVACY_URL = new URL('/personvern', SCRIPT_URL).href;
  const CSS_URL = new URL('widget.css', SCRIPT_URL).href;

  function httpUrl(value, base) {
    if (typeof value !== 'string' || !value.trim()) return null;
    try {
      const url = new URL(value.trim(), base);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
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

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ''));
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

  // ---- state: kept in sessionStorage only (this tab; gone when it closes)
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
    return { sender: newSenderId(), entries: [], open: false, feedback: null };
  }

  function saveState() {
    if (exiting) return;
    try {
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch {
      // storage full or blocked: the conversation still works, it just is not restored on reload
    }
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

  let state = loadState();
  let exiting = false;
  let inFlight = null; // AbortController of the running request
  let queue = Promise.resolve();
  let generation = 0; // bumped by "Slett samtalen": answers to a deleted conversation are dropped

  // ---- small DOM helpers (text only: nothing from the bot is parsed as HTML)
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

  function srOnly(text) {
    return el('span', { class: 'vv-sr', text });
  }

  function telLinks(links, className) {
    return el(
      'ul',
      { class: className },
      ...links.map(([label, href]) => el('li', {}, el('a', { href, 'data-action': 'call', text: label }))),
    );
  }

  // ---- build the widget
  const host = el('div', { id: 'veiviser-chat', 'data-veiviser': '', lang: LANG });
  const root = host.attachShadow({ mode: 'open' });
  const frame = el('div', { class: 'vv-root', hidden: true });
  const stylesheet = el('link', { rel: 'stylesheet', href: CSS_URL });
  // Shown when the styles are in (or failed: unstyled but working beats invisible).
  stylesheet.addEventListener('load', () => frame.removeAttribute('hidden'));
  stylesheet.addEventListener('error', () => frame.removeAttribute('hidden'));

  function exitButton(extraClass) {
    const button = el('button', { type: 'button', class: `vv-exit ${extraClass}`, 'data-veiviser-exit': '' }, T.exit);
    button.addEventListener('click', quickExit);
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
    { class: 'vv-tool', href: PRIVACY_URL, target: '_blank', rel: 'noopener noreferrer' },
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

  // ---- rendering the conversation
  function renderAll() {
    log.replaceChildren();
    log.append(el('div', { class: 'vv-msg vv-bot' }, el('p', { class: 'vv-text' }, T.greeting)));
    if (!state.entries.some((entry) => entry.kind === 'user')) log.append(quickReplies());
    for (const entry of state.entries) log.append(renderEntry(entry));
    placeFeedback();
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
        return renderDoors(entry.payload);
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

  // ---- door cards
  const STRING_FIELDS = [
    'category', 'name', 'description', 'phone', 'phone_href', 'sms', 'sms_href',
    'chat_url', 'url', 'map_url', 'next_open', 'cost', 'how_to_reach',
  ];
  const BOOL_FIELDS = ['open_now', 'open_24_7', 'referral_required', 'anonymous', 'generic', 'example'];

  /** Only the fields the cards use, with the types they must have (the rest of the payload is dropped). */
  function cleanDoors(custom) {
    const doors = Array.isArray(custom.doors) ? custom.doors : [];
    return {
      need: typeof custom.need === 'string' && CODE.test(custom.need) ? custom.need : null,
      urgency: typeof custom.urgency === 'string' ? custom.urgency : null,
      doors: doors
        .filter((d) => d && typeof d === 'object' && typeof d.name === 'string')
        .slice(0, 12)
        .map(cleanDoor),
    };
  }

  function cleanDoor(d) {
    const door = {};
    for (const key of STRING_FIELDS) door[key] = typeof d[key] === 'string' ? d[key].slice(0, 2000) : null;
    for (const key of BOOL_FIELDS) door[key] = typeof d[key] === 'boolean' ? d[key] : null;
    for (const key of ['age_min', 'age_max']) door[key] = Number.isInteger(d[key]) ? d[key] : null;
    door.address = addressText(d.address);
    return door;
  }

  function addressText(a) {
    if (!a || typeof a !== 'object') return null;
    const text = (x) => (typeof x === 'string' ? x.trim() : '');
    const place = [text(a.postal_code), text(a.city)].filter(Boolean).join(' ');
    return [text(a.street), place].filter(Boolean).join(', ') || null;
  }

  function renderDoors(payload) {
    const urgent = payload.urgency === 'akutt';
    const wrapper = el('div', {
      class: `vv-doors${urgent ? ' vv-urgent' : ''}`,
      'data-urgency': payload.urgency || '',
    });
    wrapper.append(el('p', { class: 'vv-doors-label' }, urgent ? T.doorsUrgent : T.doorsLabel));
    const list = el('ul', { class: 'vv-door-list', role: 'list' });
    for (const door of payload.doors) list.append(el('li', {}, renderDoor(door)));
    wrapper.append(list);
    return wrapper;
  }

  let cardCounter = 0;
  function renderDoor(door) {
    const headingId = `vv-door-${++cardCounter}`;
    const card = el('article', {
      class: 'vv-door',
      'data-door': door.category || 'other',
      'aria-labelledby': headingId,
    });
    card.append(el('h3', { id: headingId, class: 'vv-door-name' }, door.name));
    const [first, rest] = splitDescription(door.description);
    if (first) card.append(el('p', { class: 'vv-door-desc' }, first));
    const statusText = openingText(door);
    if (statusText) {
      const open = door.open_24_7 || door.open_now === true;
      card.append(el('p', { class: `vv-door-status ${open ? 'vv-open' : 'vv-closed'}` }, statusText));
    }
    const badges = [];
    if (door.cost === 'free') badges.push(T.free);
    if (door.anonymous === true) badges.push(T.anonymous);
    if (door.referral_required === false) badges.push(T.noReferral);
    const ages = agesText(door);
    if (ages) badges.push(ages);
    if (door.example === true) badges.push(T.example);
    if (badges.length) {
      const items = badges.map((b) => el('li', { class: `vv-badge${b === T.example ? ' vv-badge-example' : ''}` }, b));
      card.append(el('ul', { class: 'vv-badges', role: 'list' }, ...items));
    }
    if (door.generic && door.how_to_reach) card.append(el('p', { class: 'vv-door-reach' }, door.how_to_reach));
    if (door.address) card.append(el('p', { class: 'vv-door-address' }, door.address));
    const actions = doorActions(door);
    if (actions.length) card.append(el('div', { class: 'vv-actions' }, ...actions));
    if (rest) card.append(el('details', { class: 'vv-more' }, el('summary', {}, T.more), el('p', {}, rest)));
    if (!door.generic && door.how_to_reach) card.append(el('p', { class: 'vv-door-reach' }, door.how_to_reach));
    return card;
  }

  /** Links for a door: Ring, SMS, Chat, Kart, Nettside; an href that is not tel:, sms: or http(s) is dropped. */
  function doorActions(door) {
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

  function agesText(door) {
    const { age_min: min, age_max: max } = door;
    if (min !== null && max !== null) return fill(T.ages, { min, max });
    if (min !== null) return fill(T.agesFrom, { min });
    if (max !== null) return fill(T.agesTo, { max });
    return null;
  }

  // ---- opening hours, in Oslo time whatever the visitor's clock says
  const LOCALE = Intl.DateTimeFormat.supportedLocalesOf([T.locale]).length ? T.locale : 'nb-NO';
  const weekdayFormat = new Intl.DateTimeFormat(LOCALE, { weekday: 'long', timeZone: TIME_ZONE });
  const clockFormat = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: TIME_ZONE,
  });
  // en-CA gives YYYY-MM-DD: the Oslo calendar day, to say "i dag" / "i morgen".
  const dayFormat = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: TIME_ZONE,
  });
  const dateFormat = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'long', timeZone: TIME_ZONE });

  function openingText(door) {
    if (door.open_24_7) return T.open247;
    if (door.open_now === true) return T.openNow;
    if (door.open_now !== false) return null; // hours unknown: say nothing rather than guess
    const when = door.next_open ? new Date(door.next_open) : null;
    if (!when || Number.isNaN(when.getTime())) return T.closed;
    return fill(T.closedOpens, { when: whenText(when) });
  }

  function whenText(when) {
    const parts = Object.fromEntries(clockFormat.formatToParts(when).map((p) => [p.type, p.value]));
    let text = `${weekdayFormat.format(when)} ${T.at} ${parts.hour}:${parts.minute}`;
    const days = Math.round((Date.parse(dayFormat.format(when)) - Date.parse(dayFormat.format(new Date()))) / 86400000);
    if (days === 0) text += ` (${T.today})`;
    else if (days === 1) text += ` (${T.tomorrow})`;
    else if (days > 6) text += ` (${dateFormat.format(when)})`;
    return text;
  }

  // ---- "Var dette til hjelp?" (user participation)

  /** Index of the doors set the question belongs under, or -1: never after an akutt reply, once per conversation. */
  function feedbackTarget() {
    if (state.feedback) return state.feedback.doors;
    if (crisisShown()) return -1;
    for (let i = state.entries.length - 1; i >= 0; i--) {
      const entry = state.entries[i];
      if (entry.kind === 'doors') return feedbackCodes(entry.payload) ? i : -1;
    }
    return -1;
  }

  function crisisShown() {
    return state.entries.some((entry) => entry.kind === 'doors' && entry.payload.urgency === 'akutt');
  }

  /** The need and the door codes of a doors set in the order shown, or null when it cannot be asked about. */
  function feedbackCodes(payload) {
    if (!payload.need || payload.urgency === 'akutt') return null;
    const doors = payload.doors.map((d) => d.category).filter((c) => typeof c === 'string' && CODE.test(c));
    if (!doors.length) return null;
    return { need: payload.need, doors: doors.slice(0, MAX_FEEDBACK_DOORS) };
  }

  /** What the young person wrote that led to the doors at ``index``: their messages since doors for another need. */
  function sharedText(index) {
    const need = state.entries[index].payload.need;
    const texts = [];
    for (let i = index - 1; i >= 0; i--) {
      const entry = state.entries[i];
      if (entry.kind === 'doors' && entry.payload.need !== need) break;
      if (entry.kind === 'user' && typeof entry.text === 'string' && entry.text.trim()) texts.unshift(entry.text.trim());
    }
    return texts.join(' / ').slice(0, MAX_CHARS);
  }

  function postFeedback(url, body) {
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

  /** Put the question (or its answered state) under the doors set it belongs to; anywhere else, remove it. */
  function placeFeedback(focusTarget) {
    log.querySelector('.vv-feedback')?.remove();
    const index = feedbackTarget();
    if (index < 0 || !state.entries[index] || state.entries[index].kind !== 'doors') return;
    const codes = feedbackCodes(state.entries[index].payload);
    if (!codes) return;
    const nth = state.entries.slice(0, index + 1).filter((entry) => entry.kind === 'doors').length - 1;
    const anchor = log.querySelectorAll('.vv-doors')[nth];
    if (!anchor) return;
    const block = renderFeedback(index, codes);
    anchor.after(block);
    if (focusTarget) block.querySelector(focusTarget)?.focus();
  }

  let feedbackCounter = 0;
  function renderFeedback(index, codes) {
    const id = `vv-feedback-${++feedbackCounter}`;
    const block = el('div', { class: 'vv-feedback', 'data-veiviser-feedback': '' });
    const answer = state.feedback && state.feedback.doors === index ? state.feedback : null;
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
    if (state.feedback) return;
    state.feedback = { doors: index, helpful, share: null };
    saveState();
    placeFeedback('.vv-feedback-thanks');
    status.textContent = T.feedbackThanks;
    // A failed count is not the young person's problem: the chat carries on as before.
    postFeedback(FEEDBACK_ENDPOINT, { need: codes.need, doors: codes.doors, helpful }).catch(() => {});
  }

  function shareMessage(index, codes, text, helpful) {
    if (!state.feedback || state.feedback.share) return;
    const body = { need: codes.need, doors: codes.doors, helpful, text, consent: true };
    settleShare('sent', T.shareThanks);
    postFeedback(SHARE_ENDPOINT, body).catch(() => {
      if (state.feedback && state.feedback.doors === index) settleShare('failed', T.shareFailed);
    });
  }

  function settleShare(share, said) {
    if (!state.feedback) return;
    state.feedback.share = share;
    saveState();
    placeFeedback('.vv-feedback-thanks');
    status.textContent = said;
  }

  // ---- talking to Rasa
  function addEntry(entry) {
    state.entries.push(entry);
    if (entry.kind === 'user') log.querySelector('.vv-quick')?.remove();
    const node = renderEntry(entry);
    log.append(node);
    if (entry.kind === 'doors') placeFeedback();
    saveState();
    showInLog(node);
    return node;
  }

  // Scroll the log only, never the municipality's page: the start of the newest message at the top of the log.
  function showInLog(node) {
    const gap = node.getBoundingClientRect().top - log.getBoundingClientRect().top;
    if (gap > log.clientHeight - 40 || gap < 0) log.scrollTop += gap - 8;
  }

  function submit(message, shown) {
    if (typeof message !== 'string' || !message.trim()) return;
    const text = message.trim().slice(0, MAX_CHARS);
    const visible = (typeof shown === 'string' && shown.trim() ? shown.trim() : text).slice(0, MAX_CHARS);
    addEntry({ kind: 'user', text: visible });
    const mine = generation;
    queue = queue.then(() => exchange(text, visible, mine));
  }

  async function exchange(message, shown, mine) {
    if (exiting || mine !== generation) return;
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
      const body = { sender: state.sender, message };
      if (KOMMUNE) body.metadata = { kommune: KOMMUNE };
      const response = await fetch(ENDPOINT, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const messages = await response.json();
      if (!Array.isArray(messages) || !messages.length) throw new Error('empty reply');
      clearTimeout(slowTimer);
      if (mine === generation) showReply(messages);
    } catch {
      clearTimeout(slowTimer);
      if (exiting || mine !== generation) return;
      addEntry({ kind: 'notice', type: 'error', retry: message, retryShown: shown });
      if (!slowShown) addEntry({ kind: 'notice', type: 'emergency', slow: false });
    } finally {
      clearTimeout(giveUpTimer);
      if (inFlight === controller) inFlight = null;
      typing.hidden = true;
    }
  }

  function showReply(messages) {
    const hidden = hiddenTexts(messages);
    messages.forEach((message, i) => {
      if (!message || typeof message !== 'object' || hidden.has(i)) return;
      const custom = message.custom;
      if (custom && typeof custom === 'object' && custom.type === 'doors') {
        const payload = cleanDoors(custom);
        if (payload.doors.length) addEntry({ kind: 'doors', payload });
        return;
      }
      const text = typeof message.text === 'string' ? message.text.slice(0, 5000) : '';
      const buttons = Array.isArray(message.buttons)
        ? message.buttons
            .filter((b) => b && typeof b.title === 'string' && typeof b.payload === 'string')
            .slice(0, 10)
            .map((b) => ({ title: b.title.slice(0, 200), payload: b.payload.slice(0, MAX_CHARS) }))
        : [];
      if (text || buttons.length) addEntry({ kind: 'bot', text, buttons });
    });
  }

  /**
   * Indexes of the text messages the door cards replace. The payload's ``text`` is the same doors as
   * readable text; Rasa's REST channel splits a text at blank lines, so it arrives either as one message
   * equal to it or as a run of consecutive messages, one per block.
   */
  function hiddenTexts(messages) {
    const hidden = new Set();
    const isPlain = (m) => m && typeof m.text === 'string' && !m.buttons && !m.custom;
    for (const message of messages) {
      const custom = message && message.custom;
      if (!custom || custom.type !== 'doors' || typeof custom.text !== 'string' || !custom.text.trim()) continue;
      const exact = messages.findIndex((m, i) => !hidden.has(i) && isPlain(m) && m.text === custom.text);
      if (exact >= 0) {
        hidden.add(exact);
        continue;
      }
      const blocks = custom.text.trim().split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean);
      for (let start = 0; start + blocks.length <= messages.length; start++) {
        const run = blocks.every((block, k) => {
          const candidate = messages[start + k];
          return isPlain(candidate) && !hidden.has(start + k) && candidate.text.trim() === block;
        });
        if (run) {
          blocks.forEach((_, k) => hidden.add(start + k));
          break;
        }
      }
    }
    return hidden;
  }

  // ---- opening and closing
  function setOpen(open, { focus = true } = {}) {
    panel.hidden = !open;
    frame.classList.toggle('vv-is-open', open);
    launcher.setAttribute('aria-expanded', String(open));
    state.open = open;
    saveState();
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
    submit(text, text);
  });
  input.addEventListener('input', () => {
    limitNote.hidden = input.value.length < MAX_CHARS;
  });

  clearButton.addEventListener('click', () => {
    generation += 1;
    inFlight?.abort();
    state = { sender: newSenderId(), entries: [], open: true, feedback: null };
    try {
      window.sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // nothing stored
    }
    renderAll();
    saveState();
    status.textContent = T.cleared;
    input.focus();
  });

  downloadButton.addEventListener('click', () => {
    const blob = new Blob([transcript()], { type: 'text/plain;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = el('a', { href: url, download: 'veiviser-samtale.txt', hidden: true });
    root.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });

  function transcript() {
    const made = new Date().toLocaleString(LOCALE, { timeZone: TIME_ZONE });
    const lines = [T.transcriptTitle, made, '', `${T.bot}: ${T.greeting}`];
    for (const entry of state.entries) {
      if (entry.kind === 'user') lines.push(`${T.you}: ${entry.text}`);
      else if (entry.kind === 'bot') {
        if (entry.text) lines.push(`${T.bot}: ${entry.text}`);
        for (const b of entry.buttons || []) lines.push(`  [${b.title}]`);
      } else if (entry.kind === 'doors') {
        for (const door of entry.payload.doors) {
          const reach = [
            door.phone && fill(T.call, { n: door.phone }),
            door.sms && fill(T.sms, { n: door.sms }),
            door.chat_url,
            door.url,
            door.address,
            door.how_to_reach,
          ];
          lines.push(`  • ${door.name}${openingText(door) ? ` (${openingText(door)})` : ''}`);
          const details = reach.filter(Boolean).join(' · ');
          if (details) lines.push(`    ${details}`);
        }
      } else if (entry.kind === 'notice') {
        lines.push(`${T.bot}: ${entry.type === 'emergency' ? (entry.slow ? T.slow : T.downUrgent) : T.down}`);
      }
    }
    lines.push('', T.transcriptNote, '');
    return lines.join('\n');
  }

  // ---- quick exit (GOV.UK "Exit this page"): button, Shift ×3 or Escape ×2 within a second
  function quickExit() {
    if (exiting) return;
    exiting = true;
    inFlight?.abort();
    try {
      window.sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // nothing stored
    }
    // Blank the page at once, before the next page has loaded; replace() keeps Back from returning here.
    document.title = '';
    host.remove();
    if (document.body) {
      for (const child of Array.from(document.body.children)) child.style.setProperty('display', 'none', 'important');
    }
    window.location.replace(EXIT_URL);
  }

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
        if (shiftPresses.length >= 3) quickExit();
        return;
      }
      shiftPresses = [];
      if (event.key !== 'Escape' || event.repeat) return;
      if (now - lastEscape < EXIT_WINDOW_MS) {
        event.preventDefault();
        quickExit();
        return;
      }
      lastEscape = now;
      // The first Escape closes the panel; a second within a second leaves the page.
      if (!panel.hidden) setOpen(false);
    },
    true,
  );
  window.addEventListener('pageshow', (event) => {
    if (event.persisted && exiting) window.location.replace(EXIT_URL);
  });

  // ---- start
  function mount() {
    document.body.append(host);
    renderAll();
    if (state.open || OPEN_AT_LOAD) setOpen(true, { focus: false });
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
})();
