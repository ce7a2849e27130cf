// Keyboard shortcuts for the moderation queues. The page works without this:
// every action is a plain form. j/k move between items, a approves, r rejects
// with the rule chosen in the item's form, s toggles "also sanction".
(function () {
  'use strict';
  var items = Array.prototype.slice.call(document.querySelectorAll('.queue-item'));
  if (items.length === 0) return;
  var current = -1;

  function focusItem(index) {
    if (index < 0 || index >= items.length) return;
    if (current >= 0) items[current].classList.remove('queue-current');
    current = index;
    items[current].classList.add('queue-current');
    items[current].focus();
    items[current].scrollIntoView({ block: 'nearest' });
  }

  function press(selector) {
    if (current < 0) focusItem(0);
    var button = items[current].querySelector(selector);
    if (button) button.click();
  }

  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    // Typing a note or choosing a rule must not trigger a shortcut.
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (target && target.isContentEditable)) return;
    switch (event.key) {
      case 'j': focusItem(current + 1); break;
      case 'k': focusItem(Math.max(current - 1, 0)); break;
      case 'a': press('.approve-button'); break;
      case 'r': press('.reject-button'); break;
      case 's': {
        if (current < 0) focusItem(0);
        var box = items[current].querySelector('.sanction-box');
        if (box) box.checked = !box.checked;
        break;
      }
      default: return;
    }
    event.preventDefault();
  });
})();
