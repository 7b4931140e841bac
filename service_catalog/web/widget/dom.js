/*
 * Small DOM helpers. Everything is built from text: nothing from the bot is ever parsed as HTML, and a
 * link from the bot keeps its href only when the scheme is one the caller allows.
 */

/** A ``tag`` element with ``attrs`` (``class``, ``text`` or attributes; null/false skipped) and children. */
export function el(tag, attrs, ...children) {
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
export function srOnly(text) {
  return el('span', { class: 'vv-sr', text });
}

/** A list of call links from ``[label, 'tel:…']`` pairs. */
export function telLinks(links, className) {
  return el(
    'ul',
    { class: className },
    ...links.map(([label, href]) => el('li', {}, el('a', { href, 'data-action': 'call', text: label }))),
  );
}

/** An href from the bot, only when its scheme is one of ``schemes`` (e.g. ['tel:']); else null. */
export function safeHref(value, schemes) {
  if (typeof value !== 'string' || value.length > 2000) return null;
  try {
    const url = new URL(value);
    return schemes.includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
