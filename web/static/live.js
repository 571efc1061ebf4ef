// Live updates without reloading: the notification count in the header, and on a feed a
// link to the new posts. Pages work the same without it (the count and the posts are there
// on every reload); this only saves the reload. The server sends events from /events.
(function () {
  'use strict';
  if (!('EventSource' in window)) {
    return;
  }
  var body = document.body;
  var feed = body.getAttribute('data-live-feed') || 'home';
  var group = body.getAttribute('data-live-group') || '';
  var url = '/events?feed=' + encodeURIComponent(feed) + (group ? '&group=' + encodeURIComponent(group) : '');
  var source = new EventSource(url);

  // The header count: a badge to the eye, "Notifications, 3 unread" to a screen reader.
  var count = document.getElementById('notification-count');
  source.addEventListener('count', function (e) {
    var n = parseInt(e.data, 10);
    if (!count || isNaN(n)) {
      return;
    }
    var wrap = count.parentNode;
    count.textContent = n >= 100 ? '99+' : (n > 0 ? String(n) : '');
    if (n > 0) {
      wrap.removeAttribute('hidden');
    } else {
      wrap.setAttribute('hidden', '');
    }
  });

  // New posts: the feed's status region gets a link that shows them (once; it stays until
  // followed). The region is a polite live region, so screen readers say it without moving
  // the focus away from what the person is reading.
  var region = document.getElementById('live-posts');
  function announce() {
    if (!region || region.firstChild) {
      return;
    }
    var a = document.createElement('a');
    a.href = location.pathname + location.search;
    a.className = 'button button--quiet';
    a.textContent = region.getAttribute('data-text');
    region.appendChild(a);
  }
  source.addEventListener('post', announce);
  source.addEventListener('refresh', announce);

  window.addEventListener('pagehide', function () {
    source.close();
  });
})();
