/*
 * The widget's settings, read once from its own script tag (data-kommune, data-lang, data-endpoint,
 * data-feedback-endpoint, data-exit-url, data-open); never from the bot. Addresses that are not http(s)
 * fall back to the defaults on the script's origin.
 */
import { pickLang, STRINGS } from './texts.js';

/** The longest message the young person can send (and the longest text the widget sends for them). */
export const MAX_CHARS = 1000;
const DEFAULT_EXIT = 'https://www.yr.no/nb';

/** The configuration of the widget loaded by ``script`` (its ``<script>`` element). */
export function readConfig(script) {
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
