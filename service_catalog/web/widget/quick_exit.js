/*
 * Quick exit, as GOV.UK's "Exit this page": the button, Shift three times or Escape twice within a second.
 * The page is blanked at once and replaced (location.replace, so Back does not return), and the
 * conversation is deleted.
 */

const EXIT_WINDOW_MS = 1000;

/** Leave for ``exitUrl`` now: stop the request (``abort``), forget the conversation, remove ``host``. */
export function leavePage(exitUrl, store, host, abort) {
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
export function listenForExit({ leave, isOpen, close, exitUrl, store }) {
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
