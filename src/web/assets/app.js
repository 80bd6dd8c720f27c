// CivicPost staff pages: small enhancements on top of pages that work without script.
// No inline script anywhere (the Content-Security-Policy forbids it); htmx does the partial updates.
(function () {
  'use strict';

  // Every htmx request carries the page's CSRF token.
  document.addEventListener('htmx:configRequest', function (event) {
    var field = document.querySelector('input[name="_csrf"]');
    if (field) event.detail.headers['x-csrf-token'] = field.value;
  });

  function ready() {
    // A refused form: move focus to the list of problems so that it is read out first.
    var summary = document.querySelector('.error-summary');
    if (summary) summary.focus();

    // Buttons that ask before doing something that cannot be undone.
    document.querySelectorAll('form[data-confirm]').forEach(function (form) {
      form.addEventListener('submit', function (event) {
        if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
      });
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
