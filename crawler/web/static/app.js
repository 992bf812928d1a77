// Optional enhancement; every page works without it.
// "/" focuses the query box (as on most search sites) unless the visitor is typing.
document.addEventListener("keydown", (event) => {
  const box = document.getElementById("q");
  const target = event.target;
  const typing = target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName));
  if (event.key === "/" && box && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});
