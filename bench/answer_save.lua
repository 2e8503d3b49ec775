-- wrk script: each request saves one answer of one resident (round robin), as attempt.js does (fetch POST).
local data = dofile(os.getenv("ANSWER_DATA"))
local counter = 0
local failures = 0

function setup(thread)
  thread:set("offset", math.random(1, #data))
end

request = function()
  counter = counter + 1
  local r = data[((counter + offset) % #data) + 1]
  local a = r.answers[(counter % #r.answers) + 1]
  return wrk.format("POST", a[1], {
    ["Cookie"] = r.cookie,
    ["X-CSRFToken"] = r.csrf,
    ["X-Requested-With"] = "fetch",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "dap-an=" .. a[2])
end
