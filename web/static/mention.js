// Suggestions for @mentions in the text fields of posts and comments.
//
// A progressive enhancement: without this script a mention is typed in full ("@Sam de
// Vries") and works the same. With it, each textarea with data-mentions becomes a combobox:
// after "@" and two letters it asks the people directory (GET /api/v1/people, signed in by
// the session cookie) and shows up to six names below the field. Up and Down move through
// them, Enter or Tab takes one, Escape closes the list; a click works too. A polite live
// region says how many names were found. data-mentions holds that sentence, with %d for the
// number; data-mentions-one and data-mentions-none those for one name and for none.
(function () {
  "use strict";

  var minLetters = 2;
  var maxResults = 6;
  var delay = 200; // milliseconds of quiet typing before asking
  // The text from "@" to the cursor: at the start or after a space or bracket, up to four
  // words of a name.
  var pattern = /(^|[\s(])@([^\s@#]{2,}(?: [^\s@#]+){0,3} ?)$/;
  var count = 0;

  function enhance(field) {
    count += 1;
    var listID = (field.id || "mention-field-" + count) + "-mentions";
    var list = document.createElement("ul");
    list.id = listID;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    field.parentElement.classList.add("mention-field");

    field.setAttribute("role", "combobox");
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-haspopup", "listbox");
    field.setAttribute("aria-expanded", "false");
    field.setAttribute("aria-controls", listID);

    var people = [];  // the names shown
    var active = -1;  // the option that Enter takes
    var start = -1;   // where the "@" of the mention being typed is
    var timer = 0;
    var request = null;
    var dismissed = ""; // the text Escape closed the list for; it stays closed until it changes
    // A text that found nobody, or a name just chosen, and where its "@" is: what is typed
    // after it finds nobody either (the directory matches parts of names), so it is not asked.
    var settled = "";
    var settledAt = -1;

    function close() {
      clearTimeout(timer);
      if (request) {
        request.abort();
        request = null;
      }
      people = [];
      active = -1;
      list.hidden = true;
      list.textContent = "";
      field.setAttribute("aria-expanded", "false");
      field.removeAttribute("aria-activedescendant");
    }

    // mention returns what is typed after the "@" before the cursor, or null.
    function mention() {
      if (field.selectionStart !== field.selectionEnd) {
        return null;
      }
      var before = field.value.slice(0, field.selectionStart);
      var m = pattern.exec(before);
      if (!m) {
        return null;
      }
      start = before.length - m[2].length - 1;
      return m[2].trim();
    }

    function setActive(i) {
      active = i;
      var options = list.children;
      for (var j = 0; j < options.length; j++) {
        options[j].setAttribute("aria-selected", j === i ? "true" : "false");
      }
      if (i >= 0 && options[i]) {
        field.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else {
        field.removeAttribute("aria-activedescendant");
      }
    }

    function show(items) {
      people = items;
      list.textContent = "";
      items.forEach(function (p, i) {
        var li = document.createElement("li");
        li.id = listID + "-" + i;
        li.className = "mention-option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "mention-name";
        name.textContent = p.name;
        li.appendChild(name);
        if (p.organisation && p.organisation.name) {
          var org = document.createElement("span");
          org.className = "mention-org";
          org.textContent = p.organisation.name;
          li.appendChild(org);
        }
        // Keep the focus in the field when an option is pressed.
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { choose(i); });
        list.appendChild(li);
      });
      var template = field.dataset.mentions;
      if (items.length < 2) {
        template = items.length ? field.dataset.mentionsOne : field.dataset.mentionsNone;
      }
      status.textContent = (template || "").replace("%d", String(items.length));
      if (!items.length) {
        settle(mention());
        close();
        return;
      }
      list.hidden = false;
      field.setAttribute("aria-expanded", "true");
      setActive(0);
    }

    function search(q) {
      if (request) {
        request.abort();
      }
      var controller = new AbortController();
      request = controller;
      var url = "/api/v1/people?q=" + encodeURIComponent(q) + "&limit=" + maxResults;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, signal: controller.signal })
        .then(function (res) { return res.ok ? res.json() : { items: [] }; })
        .then(function (body) {
          if (request !== controller) {
            return;
          }
          request = null;
          if (mention() === q) {
            show((body.items || []).slice(0, maxResults));
          }
        })
        .catch(function () { /* aborted or offline: the field works without suggestions */ });
    }

    function settle(q) {
      settled = q || "";
      settledAt = start;
    }

    function update() {
      clearTimeout(timer);
      var q = mention();
      if (q !== null && settled && start === settledAt && q.indexOf(settled) === 0) {
        close();
        return;
      }
      if (q === null || q.length < minLetters || q === dismissed) {
        if (q !== dismissed) {
          dismissed = "";
        }
        close();
        return;
      }
      dismissed = "";
      timer = setTimeout(function () { search(q); }, delay);
    }

    function choose(i) {
      var p = people[i];
      if (!p || start < 0) {
        return;
      }
      var end = field.selectionStart;
      var text = "@" + p.name + " ";
      field.setRangeText(text, start, end, "end");
      settled = p.name;
      settledAt = start;
      close();
      status.textContent = "";
      field.focus();
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }

    field.addEventListener("input", update);
    field.addEventListener("click", update);
    field.addEventListener("blur", close);
    field.addEventListener("keyup", function (e) {
      if (e.key === "ArrowLeft" || e.key === "ArrowRight" || e.key === "Home" || e.key === "End") {
        update();
      }
    });
    field.addEventListener("keydown", function (e) {
      if (list.hidden || e.altKey || e.ctrlKey || e.metaKey) {
        return;
      }
      var n = people.length;
      switch (e.key) {
        case "ArrowDown":
          setActive((active + 1) % n);
          break;
        case "ArrowUp":
          setActive((active - 1 + n) % n);
          break;
        case "Enter":
        case "Tab":
          if (active < 0 || e.shiftKey) {
            close();
            return;
          }
          choose(active);
          break;
        case "Escape":
          dismissed = mention() || "";
          close();
          break;
        default:
          return;
      }
      e.preventDefault();
      e.stopPropagation();
    });
  }

  function init() {
    var fields = document.querySelectorAll("textarea[data-mentions]");
    for (var i = 0; i < fields.length; i++) {
      enhance(fields[i]);
    }
  }

  if (!window.fetch || !window.AbortController || !HTMLTextAreaElement.prototype.setRangeText) {
    return;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
