// Every htmx request of a signed-in page carries the session's CSRF token (checked by the server's CsrfCheck).
document.addEventListener('htmx:configRequest', function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers['X-CSRF-Token'] = meta.content;
  }
});

// A live listing (data-upsert) gets one rendered row per SSE message: it replaces the row of the
// same id, or, when the listing shows new rows on top ("prepend"), goes first; a grid whose new cell
// has no place yet ("replace-or-reload") is laid out again.
document.addEventListener('htmx:sseBeforeMessage', function (event) {
  var list = event.target;
  if (!list.dataset || !list.dataset.upsert) {
    return;
  }
  event.preventDefault();
  var template = document.createElement('template');
  template.innerHTML = event.detail.data.trim();
  var row = template.content.firstElementChild;
  var old = document.getElementById(row.id);
  if (old) {
    old.replaceWith(row);
  } else if (list.dataset.upsert === 'prepend') {
    var empty = document.getElementById('no-actions');
    if (empty) {
      empty.remove();
    }
    list.prepend(row);
  } else if (list.dataset.upsert === 'replace-or-reload') {
    window.location.reload(); // a new row or column: the page lays the grid out again
    return;
  } else {
    return;
  }
  htmx.process(row);
});
