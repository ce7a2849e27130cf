-- wrk script for tests/security/crash_consistency.py: every request posts a
-- reply through the JSON API, and every reply answered 201 is written to this
-- thread's file at once ("id<TAB>text"), so the record survives the server's
-- SIGKILL and wrk's own. wrk calls response() only for a whole response, so a
-- server dying mid-answer never leaves a record of a POST it did not answer.
--
--   wrk -t2 -c24 -s crash_writers.lua http://HOST/api/v1/articles/SLUG/comments -- \
--       PARENT_ID OUT_PREFIX LABEL COOKIE1 CSRF1 COOKIE2 CSRF2 ...
-- Thread i (from 1) posts as session i and writes OUT_PREFIX<i>.txt; LABEL
-- (unique per run) and i make every text and idempotency key unique.

local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_index", thread_count)
end

local parent_id, out, label, headers
local counter = 0
-- Texts sent and not yet acknowledged: a 201 must echo one of them, so the
-- record keeps what was sent (as the check compares it with what is stored).
local unanswered = {}
local errors_written = 0

function init(args)
  -- args[0] is the URL; the script's own arguments follow.
  parent_id = args[1]
  out = assert(io.open(args[2] .. thread_index .. ".txt", "w"))
  label = args[3] .. "-t" .. thread_index
  headers = {
    ["Content-Type"] = "application/json",
    ["Cookie"] = args[2 + 2 * thread_index],
    ["X-CSRF-Token"] = args[3 + 2 * thread_index],
    ["User-Agent"] = "masthead-crash-consistency",
  }
  assert(headers["Cookie"] and headers["X-CSRF-Token"], "a session per wrk thread is needed")
end

function request()
  counter = counter + 1
  -- Plain text (letters, digits, spaces, '-'), so no JSON escaping is needed.
  -- No random part: moderation folds leetspeak, and about one random 12-digit
  -- note in 400,000 read as hate against groups (a 400, failing the run). These
  -- texts are fixed; `masthead moderate score` publishes every one of them for
  -- repetitions r0-r99, threads 1-2 and numbers up to 10,000.
  local text = string.format("Reply %s number %d", label, counter)
  unanswered[text] = true
  local payload = string.format('{"body":"%s","parent_id":%s,"idempotency_key":"crash-%s-%d"}',
                                text, parent_id, label, counter)
  return wrk.format("POST", nil, headers, payload)
end

local function record(line)
  out:write(line, "\n")
  out:flush()
end

local function record_error(status, what)
  -- One bad answer is enough to fail the run; a few show what went wrong.
  if errors_written >= 20 then return end
  errors_written = errors_written + 1
  record(string.format("error\t%d %s", status, (what:sub(1, 200):gsub("[\r\n\t]", " "))))
end

local function content_length(response_headers)
  for name, value in pairs(response_headers) do
    if name:lower() == "content-length" then return tonumber(value) end
  end
end

function response(status, response_headers, body)
  if status == 201 then
    if content_length(response_headers) ~= #body then
      return record_error(status, "answer without a Content-Length matching its body: " .. body)
    end
    -- The comment object's keys are sorted, so its author's "id" comes first: drop it.
    local comment = body:gsub('"author":%b{}', "", 1)
    local id = comment:match('"id":(%d+)')
    local text = comment:match('"body_markdown":"([^"\\]*)"')
    if not id or not text then
      return record_error(status, "answer without the comment's id and text: " .. body)
    end
    if not unanswered[text] then
      return record_error(status, "answer with a text this thread did not send (or acknowledged twice): " .. body)
    end
    unanswered[text] = nil
    record(id .. "\t" .. text)
  elseif status >= 500 or status == 400 or status == 403 or status == 404 then
    record_error(status, body)
  end
end
