/*
 * "Last ned samtalen": the conversation as a plain text file, made in the browser (nothing is sent).
 */
import { doorLines } from './doors.js';
import { el } from './dom.js';

const TIME_ZONE = 'Europe/Oslo';

/** The conversation in ``entries`` as text: the greeting, each message, each door, and the emergency numbers. */
export function transcript(entries, T) {
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
export function downloadText(root, text) {
  const blob = new Blob([text], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: 'veiviser-samtale.txt', hidden: true });
  root.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
