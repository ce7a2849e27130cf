-- wrk script: every request posts a new comment as the reader whose session
-- cookie and CSRF token run-comment-bench.py set in the environment.
local counter = 0
local cookie = os.getenv("MASTHEAD_COOKIE")
local csrf = os.getenv("MASTHEAD_CSRF")
local parent = os.getenv("MASTHEAD_PARENT")  -- set: every post is a reply to this comment
-- Each wrk thread runs its own Lua state, where math.random starts from the same
-- seed: the tag comes from setup() instead, or both threads would send the same
-- idempotency keys and half the posts would be answered as repeats.
local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_tag", tostring(os.time()) .. "-" .. thread_count)
end

request = function()
  counter = counter + 1
  local body = "csrf=" .. csrf .. "&idempotency_key=bench-" .. thread_tag .. "-" .. counter ..
               "&body=A+calm+and+civil+remark+about+the+story+number+" .. thread_tag .. "-" .. counter
  if parent then body = body .. "&parent_id=" .. parent end
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }, body)
end
-- wrk counts answers other than 2xx/3xx itself ("Non-2xx or 3xx responses").
