// Live comments: new comments wait behind a "Show N new comments" button, so
// nothing moves under the reader's eyes until they ask. Without JavaScript the
// page is complete; this only adds the live part.
(function () {
  'use strict';
  var section = document.getElementById('discussion');
  if (!section || !window.EventSource) return;
  var slug = section.getAttribute('data-article');
  var latest = section.getAttribute('data-latest') || '0';
  var order = section.getAttribute('data-order');
  var box = document.getElementById('live-updates');
  var button = document.getElementById('show-new-comments');
  var counter = document.getElementById('new-count');
  var total = document.getElementById('comment-count');
  var threads = document.getElementById('threads');
  var waiting = [];

  function insert(event) {
    var holder = document.createElement('div');
    holder.innerHTML = event.html;  // rendered and escaped by the server
    var comment = holder.firstElementChild;
    if (!comment || document.getElementById(comment.id)) return;
    if (event.depth === 0) {
      var item = document.createElement('li');
      item.className = 'thread';
      item.id = 'thread-' + event.id;
      item.appendChild(comment);
      if (order === 'newest') threads.insertBefore(item, threads.firstChild);
      else threads.appendChild(item);
      return;
    }
    var thread = document.getElementById('thread-' + event.thread_id);
    if (!thread) return;  // its thread is on another page
    var replies = thread.querySelector('ol.replies');
    if (!replies) {
      replies = document.createElement('ol');
      replies.className = 'replies';
      thread.appendChild(replies);
    }
    var li = document.createElement('li');
    li.appendChild(comment);
    replies.appendChild(li);
  }

  button.addEventListener('click', function () {
    waiting.forEach(insert);
    if (total) total.textContent = String(Number(total.textContent) + waiting.length);
    waiting = [];
    box.hidden = true;
  });

  var source = new EventSource('/articles/' + encodeURIComponent(slug) + '/live?after=' + latest);
  source.addEventListener('comment', function (message) {
    var event = JSON.parse(message.data);
    if (document.getElementById('c' + event.id)) return;
    waiting.push(event);
    counter.textContent = String(waiting.length);
    box.hidden = false;
  });
})();
