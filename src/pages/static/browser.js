// "What is my browser?": fills in what only the browser knows (screen, window,
// time zone, cookies, client hints) and offers a copy button. The server already
// shows what the request told it; nothing is sent anywhere.
(function () {
  'use strict';
  var root = document.getElementById('my-browser');
  if (!root) return;
  function set(name, value) {
    var element = root.querySelector('[data-fill="' + name + '"]');
    if (element) element.textContent = value;
  }
  set('js', 'Yes');
  set('screen', screen.width + ' × ' + screen.height);
  set('window', window.innerWidth + ' × ' + window.innerHeight);
  set('ratio', String(window.devicePixelRatio || 1));
  set('cookies', navigator.cookieEnabled ? 'Yes' : 'No');
  set('language', (navigator.languages && navigator.languages.join(', ')) || navigator.language || 'unknown');
  try { set('timezone', Intl.DateTimeFormat().resolvedOptions().timeZone || 'unknown'); } catch (e) { /* old browser */ }

  var summary = document.getElementById('env-summary');
  var share = document.getElementById('share-link');
  function refresh() {
    var text = [
      document.getElementById('env-browser').textContent + ' on ' + document.getElementById('env-os').textContent +
        ' (' + document.getElementById('env-device').textContent + ')',
      'screen ' + document.getElementById('env-screen').textContent +
        ', window ' + document.getElementById('env-window').textContent +
        ', pixel ratio ' + document.getElementById('env-ratio').textContent,
      'cookies ' + document.getElementById('env-cookies').textContent + ', JavaScript Yes',
      'language ' + document.getElementById('env-language').textContent +
        ', time zone ' + document.getElementById('env-timezone').textContent
    ].join('; ');
    summary.value = text;
    share.href = '/support/my-browser?summary=' + encodeURIComponent(text);
    share.textContent = location.origin + '/support/my-browser?summary=…';
  }
  // High-entropy client hints, where the browser has them and the server did not
  // get them (first visit).
  if (navigator.userAgentData && navigator.userAgentData.getHighEntropyValues) {
    navigator.userAgentData.getHighEntropyValues(['platformVersion', 'fullVersionList', 'model'])
      .then(function (hints) {
        root.setAttribute('data-platform-version', hints.platformVersion || '');
        refresh();
      }, refresh);
  }
  refresh();
  var button = document.getElementById('copy-summary');
  button.hidden = false;
  button.addEventListener('click', function () {
    var status = document.getElementById('copy-status');
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(summary.value).then(function () { status.textContent = 'Copied.'; },
        function () { summary.select(); status.textContent = 'Select the text and copy it.'; });
    } else {
      summary.select();
      status.textContent = 'Select the text and copy it.';
    }
  });
})();

// The technical-problem form: fills the screen, window, time zone and language
// fields the server cannot know, unless the reader already typed something.
(function () {
  'use strict';
  var form = document.getElementById('support-report');
  if (!form) return;
  var values = {
    screen: screen.width + ' × ' + screen.height + ' (pixel ratio ' + (window.devicePixelRatio || 1) + ')',
    window: window.innerWidth + ' × ' + window.innerHeight,
    language: (navigator.languages && navigator.languages.join(', ')) || navigator.language || ''
  };
  try { values.timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { /* old browser */ }
  Object.keys(values).forEach(function (name) {
    var input = form.querySelector('input[data-fill="' + name + '"]');
    if (input && !input.value && values[name]) input.value = values[name];
  });
})();
