// Reload the view on every event the server pushes (one per change seen by
// its watches); the newest answer wins.
(function () {
  const live = document.getElementById("live"), view = document.getElementById("view");
  let asked = 0;
  const es = new EventSource("events");
  es.onopen = () => { live.textContent = "live"; live.className = "live on"; };
  es.onerror = () => { live.textContent = "reconnecting"; live.className = "live off"; };
  es.onmessage = async () => {
    const n = ++asked, r = await fetch("view", {cache: "no-store"});
    if (r.ok && n === asked) { view.innerHTML = await r.text(); view.dataset.updates = n; }
  };
})();
