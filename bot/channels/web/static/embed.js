/* skillcert embed: <script src="(this server and prefix)/embed.js" defer></script> adds a floating
   button that opens the chat page in a framed panel. The page may be framed only from origins
   listed in config.toml [web] frame_ancestors. Optional: data-lang="en" on the script tag. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__skillcertEmbed) return;
  window.__skillcertEmbed = true;
  var base = script.src.replace(/\/embed\.js(?:[?#].*)?$/, "");
  var lang = script.getAttribute("data-lang") === "en" ? "en" : "zh";
  var label = lang === "en" ? "Policy assistant" : "政策咨询";

  function css(e, styles) { Object.keys(styles).forEach(function (k) { e.style[k] = styles[k]; }); return e; }

  var button = css(document.createElement("button"), {
    position: "fixed", right: "18px", bottom: "18px", zIndex: "2147483000", border: "0", borderRadius: "28px",
    padding: "0 20px", height: "52px", background: "#0b5cab", color: "#fff", fontSize: "16px", cursor: "pointer",
    boxShadow: "0 6px 20px rgba(0,0,0,.25)", fontFamily: "system-ui, sans-serif"
  });
  button.type = "button";
  button.id = "skillcert-embed-button";
  button.textContent = "💬 " + label;
  button.setAttribute("aria-expanded", "false");

  var panel = css(document.createElement("div"), {
    position: "fixed", right: "18px", bottom: "82px", zIndex: "2147483000", width: "400px", height: "640px",
    maxWidth: "calc(100vw - 24px)", maxHeight: "calc(100vh - 100px)", borderRadius: "14px", overflow: "hidden",
    boxShadow: "0 10px 40px rgba(0,0,0,.3)", background: "#fff", display: "none"
  });
  panel.id = "skillcert-embed-panel";
  var frame = null;

  function open() {
    if (!frame) {
      frame = css(document.createElement("iframe"), { width: "100%", height: "100%", border: "0" });
      frame.title = label;
      frame.src = base + "/?embed=1&lang=" + lang;
      panel.appendChild(frame);
    }
    panel.style.display = "block";
    button.setAttribute("aria-expanded", "true");
    if (window.innerWidth < 500) {
      css(panel, { right: "0", bottom: "80px", width: "100vw", height: "calc(100vh - 80px)", maxWidth: "100vw",
                   maxHeight: "none", borderRadius: "0" });
    }
  }
  function close() { panel.style.display = "none"; button.setAttribute("aria-expanded", "false"); }
  button.addEventListener("click", function () { if (panel.style.display === "none") open(); else close(); });

  function mount() { document.body.appendChild(panel); document.body.appendChild(button); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
