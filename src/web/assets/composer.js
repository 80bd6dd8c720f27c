// Composer: an image larger than CivicPost accepts is refused in the browser, before the form is sent
// (the server would answer with an error page, and the typed text would have to be sent again).
(function () {
  'use strict';
  document.addEventListener('change', function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file' || !input.hasAttribute('data-max-bytes')) return;
    var note = document.getElementById(input.id + '-size');
    var file = input.files && input.files[0];
    if (file && file.size > Number(input.getAttribute('data-max-bytes'))) {
      input.value = '';
      if (note) note.textContent = input.getAttribute('data-too-large') || '';
    } else if (note) {
      note.textContent = '';
    }
  });
})();
