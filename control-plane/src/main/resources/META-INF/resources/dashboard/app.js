// Every htmx request of a signed-in page carries the session's CSRF token (checked by the server's CsrfCheck).
document.addEventListener('htmx:configRequest', function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers['X-CSRF-Token'] = meta.content;
  }
});
