// The people to ask on the question form, refreshed as the topics change.
//
// A progressive enhancement: without this script "Toon wie dit weet" sends the form and the
// page comes back with the people who know. With it, leaving the topics field or choosing
// another place for the question asks the same (POST /questions with action=suggest and the
// form as it is) and puts the list of the answer in place of the one on the page. Whoever is
// ticked stays ticked: the server keeps the people sent, and a tick made while the answer was
// on its way is set again. The polite live region #question-ask-status says how many people
// the list holds; the form's data-found holds that sentence with %d for the number, and
// data-found-one and data-found-none those for one person and for none.
(function () {
  'use strict';
  var form = document.querySelector('form[data-found]');
  if (!form || !window.fetch || !window.DOMParser || !window.FormData || !window.URLSearchParams) {
    return;
  }
  var topics = form.querySelector('[name=topics]');
  var place = form.querySelector('[name=group_id]');
  var status = document.getElementById('question-ask-status');
  if (!topics || !status) {
    return;
  }
  var asked = ''; // the topics and place last asked about
  var request = null;

  function key() {
    return topics.value.trim() + '\n' + (place ? place.value : '');
  }

  function ticked(box) {
    var out = {};
    box.querySelectorAll('input[name=ask]:checked').forEach(function (c) { out[c.value] = true; });
    return out;
  }

  function say(n) {
    var text = n === 0 ? form.getAttribute('data-found-none')
      : n === 1 ? form.getAttribute('data-found-one')
        : form.getAttribute('data-found').replace('%d', String(n));
    status.textContent = text;
  }

  function refresh() {
    if (topics.value.trim() === '' || key() === asked) {
      return;
    }
    asked = key();
    if (request) {
      request.abort();
    }
    request = new AbortController();
    var data = new FormData(form);
    data.set('action', 'suggest');
    // getAttribute: form.action would be the buttons named "action".
    fetch(form.getAttribute('action'), {
      method: 'POST', body: new URLSearchParams(data), credentials: 'same-origin', signal: request.signal,
      headers: { 'Accept': 'text/html' }
    }).then(function (r) {
      if (!r.ok) {
        throw new Error('status ' + r.status); // a problem with the form: the button shows it
      }
      return r.text();
    }).then(function (html) {
      request = null;
      var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('question-ask');
      var old = document.getElementById('question-ask');
      if (!fresh || !old) {
        return;
      }
      var keep = ticked(old);
      var focused = old.contains(document.activeElement) ? document.activeElement : null;
      fresh = document.importNode(fresh, true);
      fresh.querySelectorAll('input[name=ask]').forEach(function (c) {
        if (keep[c.value]) {
          c.checked = true;
        }
      });
      old.replaceWith(fresh);
      if (focused) {
        // Focus stays where it was: on the same person, else on the list's button.
        var same = focused.name === 'ask' ? fresh.querySelector('input[name=ask][value="' + CSS.escape(focused.value) + '"]') : null;
        (same || fresh.querySelector('button') || topics).focus();
      }
      say(fresh.querySelectorAll('input[name=ask]').length);
    }).catch(function () {
      request = null;
      asked = ''; // ask again at the next change
    });
  }

  topics.addEventListener('change', refresh);
  if (place) {
    place.addEventListener('change', refresh);
  }
})();
