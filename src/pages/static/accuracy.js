// The accuracy form: a reader may select the exact words within a paragraph of
// the passage list; the selection fills "The exact words" and picks that
// paragraph. Without JavaScript the reader picks the paragraph and may type the
// words.
(function () {
  'use strict';
  var list = document.querySelector('.passage-list');
  var quote = document.getElementById('f-quote');
  if (!list || !quote) return;
  var hint = list.querySelector('.js-only');
  if (hint) hint.hidden = false;
  function paragraphOf(node) {
    while (node && node !== list) {
      if (node.nodeType === 1 && node.classList.contains('passage-text')) return node;
      node = node.parentNode;
    }
    return null;
  }
  document.addEventListener('selectionchange', function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    var range = selection.getRangeAt(0);
    var start = paragraphOf(range.startContainer);
    // Only a selection within one paragraph names exact words.
    if (!start || start !== paragraphOf(range.endContainer)) return;
    var words = selection.toString().replace(/\s+/g, ' ').trim();
    if (!words) return;
    quote.value = words.slice(0, 1000);
    var radio = document.getElementById('passage-' + start.getAttribute('data-anchor'));
    if (radio) radio.checked = true;
  });
}());
