// My log's filters: on a desktop they fit in two rows above the entries, so they are shown
// open; on a phone they stay folded behind "Filter (n active)", so the first entry is on the
// first screen. Without this script they are folded everywhere, and one tap opens them.
const filters = document.querySelector("details.log-filters");
const desktop = window.matchMedia("(min-width: 48.0625rem)");
const openOnDesktop = () => {
  if (filters && desktop.matches) filters.open = true;
};
openOnDesktop();
desktop.addEventListener("change", openOnDesktop);
