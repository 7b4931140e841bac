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
export function createStore() {
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
