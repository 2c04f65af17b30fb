/// The console's stylesheet and script, served by darkroom itself: no CDN, no build step,
/// and the pages work offline. The script only adds comfort (confirmations, live numbers,
/// copying, sizes); every action is a plain form that works without it.
enum ConsoleAssets {
    static let css = """
        body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1f24;background:#f6f7f9}
        header{display:flex;gap:1.5em;align-items:center;padding:.6em 1.2em;background:#1d1f24;color:#eee;flex-wrap:wrap}
        header a{color:#eee;text-decoration:none;margin-right:1em}.brand{font-weight:700}
        .who{margin-left:auto;color:#bbb}main{padding:1em 1.5em;max-width:1400px}
        table{border-collapse:collapse;background:#fff;margin:.5em 0}td,th{border:1px solid #dde;padding:.3em .6em;text-align:left;vertical-align:top}
        .facts th{background:#eef}.key{font-family:monospace;word-break:break-all}.error{color:#a11}
        .flash{background:#efe;border:1px solid #9c9;padding:.5em}.hint{color:#666}
        .cards{display:flex;gap:1em;flex-wrap:wrap}.card{background:#fff;border:1px solid #dde;padding:.8em 1.2em;min-width:8em}
        .card b{display:block;font-size:1.6em}.card span{color:#666}
        .charts{display:flex;flex-wrap:wrap;gap:1em}.chart{background:#fff;border:1px solid #dde;margin:0;padding:.5em}
        .grid{display:flex;flex-wrap:wrap;gap:1em}.grid figure{margin:0;background:#fff;border:1px solid #dde;padding:.5em;max-width:320px}
        .grid img{max-width:300px;max-height:300px;display:block}figcaption{font-size:12px;color:#444}
        .status-dead,.status-failed{color:#a11;font-weight:600}.status-completed{color:#161}.status-running{color:#15a}
        pre{background:#fff;border:1px solid #dde;padding:.8em;overflow:auto;max-height:30em}
        .filters label{margin-right:1em}form{display:inline}progress{width:20em}
        """

    static let javascript = """
        "use strict";
        // Every form with data-confirm asks first.
        document.querySelectorAll("form[data-confirm]").forEach(function (form) {
          form.addEventListener("submit", function (event) {
            if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
          });
        });
        // Copy buttons copy the text of the element they name.
        document.querySelectorAll("[data-copy]").forEach(function (button) {
          button.addEventListener("click", function () {
            var text = document.getElementById(button.getAttribute("data-copy")).textContent;
            if (navigator.clipboard) { navigator.clipboard.writeText(window.location.origin + text).catch(function () {}); }
          });
        });
        // The playground shows the size of its result.
        document.querySelectorAll("[data-size-of]").forEach(function (caption) {
          fetch(caption.getAttribute("data-size-of")).then(function (response) {
            return response.blob().then(function (blob) {
              caption.textContent = response.status + " · " + (response.headers.get("Content-Type") || "") + " · " + blob.size + " bytes";
            });
          }).catch(function () {});
        });
        // The overview's numbers refresh every 5 seconds.
        var live = document.querySelector("[data-live]");
        if (live) {
          window.setInterval(function () {
            fetch(live.getAttribute("data-live"), {credentials: "same-origin"}).then(function (response) {
              return response.ok ? response.json() : null;
            }).then(function (numbers) {
              if (!numbers) { return; }
              live.querySelectorAll("[data-key]").forEach(function (cell) {
                var value = numbers[cell.getAttribute("data-key")];
                cell.textContent = value === null || value === undefined ? "–" : value;
              });
            }).catch(function () {});
          }, 5000);
        }
        """
}
