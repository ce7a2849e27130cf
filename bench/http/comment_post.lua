-- wrk script: every request posts a new comment as the reader whose session
-- cookie and CSRF token run-comment-bench.py set in the environment.
local counter = 0
local cookie = os.getenv("MASTHEAD_COOKIE")
local csrf = os.getenv("MASTHEAD_CSRF")
local thread_tag = tostring(math.random(1, 1e9))

request = function()
  counter = counter + 1
  local body = "csrf=" .. csrf .. "&idempotency_key=bench-" .. thread_tag .. "-" .. counter ..
               "&body=A+calm+and+civil+remark+about+the+story+number+" .. thread_tag .. "-" .. counter
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }, body)
end
-- wrk counts answers other than 2xx/3xx itself ("Non-2xx or 3xx responses").
