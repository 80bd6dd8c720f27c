// Calendar: drag a post onto another day of the month; it keeps its time of day. Only an enhancement:
// every post has a "Change time" link that does the same with the keyboard, and without script.
(function () {
  'use strict';

  function ready() {
    var table = document.querySelector('table.calendar.month');
    var live = document.querySelector('.cal-live');
    var token = document.querySelector('input[name="_csrf"]');
    if (!table || !live || !token || !window.fetch) return;
    var hint = document.querySelector('.cal-drag-hint');
    if (hint && table.querySelector('li[data-post]')) hint.hidden = false;
    var zone = table.getAttribute('data-zone');
    var dragged = null;

    function dayOf(event) {
      return event.target && event.target.closest ? event.target.closest('td[data-date]') : null;
    }
    function clear() {
      table.querySelectorAll('td.drop-target').forEach(function (td) {
        td.classList.remove('drop-target');
      });
    }
    function say(text) {
      live.textContent = text;
    }

    table.addEventListener('dragstart', function (event) {
      var item = event.target && event.target.closest ? event.target.closest('li[data-post]') : null;
      if (!item) return;
      dragged = item;
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', item.getAttribute('data-post'));
    });
    table.addEventListener('dragend', function () {
      dragged = null;
      clear();
    });
    table.addEventListener('dragover', function (event) {
      var td = dayOf(event);
      if (!dragged || !td) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      if (!td.classList.contains('drop-target')) {
        clear();
        td.classList.add('drop-target');
      }
    });
    table.addEventListener('drop', function (event) {
      var td = dayOf(event);
      var item = dragged;
      if (!item || !td) return;
      event.preventDefault();
      dragged = null;
      clear();
      if (td.contains(item)) return;
      var body = new URLSearchParams();
      body.set('scheduledAt', td.getAttribute('data-date') + 'T' + item.getAttribute('data-time'));
      body.set('timeZone', zone);
      body.set('view', 'month');
      say(live.getAttribute('data-moving'));
      // The same form the "Change time" page sends; the token goes in the header, as for htmx.
      fetch(item.getAttribute('data-action'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': token.value },
        body: body.toString(),
      })
        .then(function (res) {
          if (res.ok) {
            // Accepted: the calendar of the new day, with its notice.
            window.location.assign(res.url);
            return;
          }
          return res.text().then(function (text) {
            var page = new DOMParser().parseFromString(text, 'text/html');
            var problem = page.querySelector('.field-error') || page.querySelector('.error-summary p') || page.querySelector('main p');
            say(
              problem
                ? live.getAttribute('data-refused').replace('{reason}', problem.textContent.trim())
                : live.getAttribute('data-failed'),
            );
          });
        })
        .catch(function () {
          say(live.getAttribute('data-failed'));
        });
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
